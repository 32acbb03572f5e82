package dev.ferry.remote.worker;

import com.google.gson.JsonObject;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code %%web} apps this worker's notebook declared, by name: what {@code %deploy} reads to put them in
 * an {@code AppSpec} ({@link #declared()}), and how a Ferry server's web-app worker starts the one it serves
 * ({@link #serve}). The app object is an {@code io.javalin.Javalin}; this class reaches it by reflection so
 * the worker's own class path needs no Javalin (the notebook brings it with {@code %maven}).
 */
public final class WebApps {
    /** The call target a serving worker reports its port on: args {@code {"name", "port"}}. */
    public static final String LISTENING = "web.listening";
    static final String JAVALIN = "io.javalin.Javalin";
    private static final long TIMEOUT_MS = 60_000;

    /**
     * A declared {@code %%web} app.
     *
     * @param name         its name: the URL is {@code http://HOST:PORT/<app>/<name>/...}
     * @param source       the cell's source (without the magic line); its value is the Javalin app
     * @param declarations the notebook's imports, types and methods when it was declared, in order
     * @param maven        the coordinates the notebook's {@code %maven} resolved before it
     * @param requiresAuth requests need {@code Authorization: Bearer <the app's web token>}
     * @param app          the live Javalin app (not started)
     */
    public record Declared(String name, String source, List<String> declarations, List<String> maven, boolean requiresAuth,
                           Object app) {
        public Declared {
            declarations = List.copyOf(declarations);
            maven = List.copyOf(maven);
        }
    }

    private static final Map<String, Declared> DECLARED = new LinkedHashMap<>();

    private WebApps() {}

    static synchronized void declare(Declared d) {
        DECLARED.put(d.name(), d);
    }

    /** The apps declared so far, in declaration order (a re-run cell replaces its app of the same name). */
    public static synchronized List<Declared> declared() {
        return List.copyOf(DECLARED.values());
    }

    /** True when {@code value} is an io.javalin.Javalin (or a subclass). */
    static boolean isJavalin(Object value) {
        for (Class<?> c = value == null ? null : value.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(JAVALIN)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Starts the declared app {@code name} on {@code host} (an ephemeral port) and reports the port to the
     * process that runs this worker (a Ferry server) as a {@value #LISTENING} call. Returns the port.
     */
    public static int serve(String name, String host) throws ReflectiveOperationException {
        Declared d;
        synchronized (WebApps.class) {
            d = DECLARED.get(name);
        }
        if (d == null) {
            throw new IllegalArgumentException("no %%web app named '" + name + "' was declared in this worker");
        }
        Object app = d.app();
        app.getClass().getMethod("start", String.class, int.class).invoke(app, host, 0);
        int port = (int) app.getClass().getMethod("port").invoke(app);
        JsonObject args = new JsonObject();
        args.addProperty("name", name);
        args.addProperty("port", port);
        KernelCalls.call(LISTENING, args, TIMEOUT_MS);
        return port;
    }
}

package dev.ferry.remote.worker;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ferry.spi.FunctionSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The functions this session declared with {@code %%function}, with their {@code schedule=} and {@code web=}
 * options, in declaration order (a re-run cell replaces its function): what {@code %deploy} and {@code %serve}
 * send. While a {@code %serve} app is on, each {@code %%function} cell run re-registers it.
 */
final class AppFunctions {
    /** A declared function: its spec, and its schedule and web endpoint texts ("" for none). */
    record Declared(FunctionSpec spec, String schedule, String web) {}

    private static final Map<String, Declared> DECLARED = new LinkedHashMap<>();
    /** The app {@code %serve} keeps registered, and how to re-register it; null when none. */
    private static volatile String served;
    private static volatile Consumer<String> reserve;

    private AppFunctions() {}

    static synchronized void declare(Declared d) {
        DECLARED.remove(d.spec().name());
        DECLARED.put(d.spec().name(), d);
    }

    /** After a {@code %%function} cell: re-registers the served app, if any. */
    static void declared() {
        String app = served;
        Consumer<String> r = reserve;
        if (app != null && r != null) {
            r.accept(app);
        }
    }

    static synchronized List<Declared> all() {
        return new ArrayList<>(DECLARED.values());
    }

    static void serve(String app, Consumer<String> redeploy) {
        served = app;
        reserve = redeploy;
    }

    /**
     * The {@code app.deploy} request: every declared function, its declarations refreshed from the session now
     * (a helper declared after the function goes with it too).
     */
    static JsonObject request(String name, boolean ephemeral, boolean replace, String source, List<String> sessionDeclarations) {
        JsonObject req = new JsonObject();
        req.addProperty("name", name);
        req.addProperty("ephemeral", ephemeral);
        req.addProperty("replace", replace);
        req.addProperty("source", source);
        JsonArray fs = new JsonArray();
        for (Declared d : all()) {
            FunctionSpec s = d.spec();
            List<String> decls = new ArrayList<>();
            for (String decl : sessionDeclarations) {
                if (!decl.strip().equals(s.methodSource().strip())) {
                    decls.add(decl);
                }
            }
            FunctionSpec fresh = new FunctionSpec(s.name(), s.methodSource(), decls, s.parameterTypes(), s.parameterNames(),
                    s.returnType(), s.timeoutS(), s.retries(), s.engine(), s.env(), s.scaling(), s.backoff());
            JsonObject f = new JsonObject();
            f.add("spec", WorkerFunctions.toJson(fresh));
            f.addProperty("schedule", d.schedule());
            f.addProperty("web", d.web());
            fs.add(f);
        }
        req.add("functions", fs);
        JsonArray webs = new JsonArray(); // the %%web apps of the session (WebApps)
        for (WebApps.Declared w : WebApps.declared()) {
            JsonObject o = new JsonObject();
            o.addProperty("name", w.name());
            o.addProperty("source", w.source());
            JsonArray decls = new JsonArray();
            w.declarations().forEach(decls::add);
            o.add("declarations", decls);
            JsonArray maven = new JsonArray();
            w.maven().forEach(maven::add);
            o.add("maven", maven);
            o.addProperty("requiresAuth", w.requiresAuth());
            webs.add(o);
        }
        req.add("webApps", webs);
        return req;
    }
}

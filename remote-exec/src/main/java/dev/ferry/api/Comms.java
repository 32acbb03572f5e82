package dev.ferry.api;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.ToNumberPolicy;
import dev.ferry.remote.worker.KernelLink;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Jupyter comms of this session (docs/comms.md), imported into every session:
 * <pre>
 * Comms.register("echo", comm -&gt; comm.onMessage(data -&gt; comm.send(Map.of("echo", data))));
 * Comm c = Comms.open("my.frontend.target", Map.of("hello", 1));
 * </pre>
 * A front end's comm_open to a target nobody registered is answered with a comm_close.
 */
public final class Comms {
    private static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();
    private static final Map<String, Consumer<Comm>> TARGETS = new ConcurrentHashMap<>();
    private static final Map<String, Comm> OPEN = new ConcurrentHashMap<>();

    private Comms() {}

    /**
     * Handles the front end's comm_open to {@code target}: {@code onOpen} gets each new comm (set its
     * {@link Comm#onMessage} there). Registering a target again replaces its handler.
     */
    public static void register(String target, Consumer<Comm> onOpen) {
        if (target == null || target.isBlank() || onOpen == null) {
            throw new IllegalArgumentException("Comms.register needs a target name and a handler");
        }
        Consumer<Comm> before = TARGETS.put(target, onOpen);
        JsonObject args = new JsonObject();
        args.addProperty("target_name", target);
        try {
            call("register", args);
        } catch (RuntimeException e) {
            if (before == null) {
                TARGETS.remove(target);
            } else {
                TARGETS.put(target, before);
            }
            throw e;
        }
    }

    /** Stops accepting comms to {@code target} (open comms stay open). */
    public static void unregister(String target) {
        if (TARGETS.remove(target) != null) {
            JsonObject args = new JsonObject();
            args.addProperty("target_name", target);
            call("unregister", args);
        }
    }

    /** Opens a comm to a front-end target (comm_open from the kernel). */
    public static Comm open(String target, Map<String, ?> data) {
        String id = UUID.randomUUID().toString().replace("-", "");
        Comm c = new Comm(id, target, data == null ? Map.of() : copy(data));
        OPEN.put(id, c);
        JsonObject args = fields(id, data);
        args.addProperty("target_name", target);
        try {
            call("open", args);
        } catch (RuntimeException e) {
            OPEN.remove(id);
            throw e;
        }
        return c;
    }

    public static Comm open(String target) {
        return open(target, Map.of());
    }

    /** The comms open now, by id. */
    public static Map<String, Comm> list() {
        return Map.copyOf(OPEN);
    }

    /**
     * The worker's entry for a front end's message ({@code kind} open, msg or close); not for user code.
     * A handler's exception propagates to the worker, which shows it on the comm message's stderr.
     */
    public static void receive(JsonObject f) {
        String kind = str(f, "kind");
        String id = str(f, "comm_id");
        Map<String, Object> data = f.has("data") && f.get("data").isJsonObject() ? map(f.getAsJsonObject("data")) : Map.of();
        switch (kind) {
            case "open" -> {
                String target = str(f, "target_name");
                Consumer<Comm> onOpen = TARGETS.get(target);
                Comm c = new Comm(id, target, data);
                if (onOpen == null) { // unregistered since the kernel saw the target
                    call("close", fields(id, Map.of()));
                    return;
                }
                OPEN.put(id, c);
                onOpen.accept(c);
            }
            case "msg" -> {
                Comm c = OPEN.get(id);
                if (c != null) {
                    c.received(data);
                }
            }
            case "close" -> {
                Comm c = OPEN.remove(id);
                if (c != null) {
                    c.closedByFrontEnd(data);
                }
            }
            default -> throw new IllegalArgumentException("unknown comm message kind '" + kind + "'");
        }
    }

    static void forget(String id) {
        OPEN.remove(id);
    }

    static JsonObject fields(String id, Map<String, ?> data) {
        JsonObject args = new JsonObject();
        args.addProperty("comm_id", id);
        JsonElement d = data == null ? new JsonObject() : GSON.toJsonTree(data);
        args.add("data", d.isJsonObject() ? d : new JsonObject());
        return args;
    }

    static void call(String kind, JsonObject args) {
        KernelLink.call("comm." + kind, args);
    }

    private static Map<String, Object> copy(Map<String, ?> data) {
        return map(GSON.toJsonTree(data).getAsJsonObject());
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonObject o) {
        Map<String, Object> m = GSON.fromJson(o, LinkedHashMap.class);
        return m == null ? Map.of() : m;
    }

    private static String str(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
    }
}

package dev.ferry;

import dev.ferry.spi.Frontend;

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
        try {
            call("register", Map.of("target_name", target));
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
            call("unregister", Map.of("target_name", target));
        }
    }

    /** Opens a comm to a front-end target (comm_open from the kernel). */
    public static Comm open(String target, Map<String, ?> data) {
        String id = UUID.randomUUID().toString().replace("-", "");
        Comm c = new Comm(id, target, data == null ? Map.of() : copy(data));
        OPEN.put(id, c);
        Map<String, Object> args = fields(id, data);
        args.put("target_name", target);
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
     * The worker's entry for a front end's message ({@code kind} open, msg or close, with the comm's id, its
     * target for an open, and the message's data as JSON values); not for user code. A handler's exception
     * propagates to the worker, which shows it on the comm message's stderr.
     */
    public static void receive(String kind, String id, String target, Map<String, Object> data) {
        switch (kind) {
            case "open" -> {
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

    static Map<String, Object> fields(String id, Map<String, ?> data) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("comm_id", id);
        args.put("data", data == null ? Map.of() : data);
        return args;
    }

    static void call(String kind, Map<String, Object> args) {
        Frontend.current().comm(kind, args);
    }

    private static Map<String, Object> copy(Map<String, ?> data) {
        return Frontend.current().jsonCopy(data);
    }
}

package dev.ferry.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import dev.ferry.kernel.wire.Message;
import dev.ferry.remote.Worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

/**
 * The kernel's side of Jupyter comms (docs/comms.md): the targets that code in the worker registered and
 * the comms open now, each owned by the worker it lives in (a replaced worker's comms are gone with it).
 * Front-end messages (comm_open, comm_msg, comm_close on shell) go to the worker as {@code comm} requests;
 * the worker's comm calls ({@code comm.register}, {@code comm.open}, {@code comm.msg}, {@code comm.close},
 * {@code comm.unregister}) are published on iopub under the request being handled.
 */
final class Comms {
    private record Open(String target, Worker owner) {}

    private final Channels ch;
    private final Supplier<Worker> current;
    private final Supplier<JsonObject> parent;
    private final Map<String, Worker> targets = new ConcurrentHashMap<>();
    private final Map<String, Open> comms = new ConcurrentHashMap<>();
    private volatile BiConsumer<Message, JsonObject> forward = (m, f) -> { };

    /** {@code current}: the notebook's worker now; {@code parent}: the header of the request being handled. */
    Comms(Channels ch, Supplier<Worker> current, Supplier<JsonObject> parent) {
        this.ch = ch;
        this.current = current;
        this.parent = parent;
    }

    /** How a front-end message reaches the worker: runs the {@code comm} request, publishing its output under the message. */
    void forwardWith(BiConsumer<Message, JsonObject> forward) {
        this.forward = forward;
    }

    // ---- front end -> kernel (the shell thread)

    void open(Message m) {
        String id = m.str("comm_id", "");
        String target = m.str("target_name", "");
        Worker owner = targets.get(target);
        if (owner == null || owner != current.get()) {
            // as ipykernel: a comm to a target nobody registered is closed at once
            System.err.println("[ferry] comm_open to unknown target '" + target + "': closed (register it with Comms.register)");
            JsonObject c = new JsonObject();
            c.addProperty("comm_id", id);
            c.add("data", new JsonObject());
            ch.publish("comm_close", m.header(), c);
            return;
        }
        comms.put(id, new Open(target, owner));
        forward.accept(m, request("open", m, target));
    }

    void msg(Message m) {
        String id = m.str("comm_id", "");
        Open o = live(id);
        if (o == null) {
            System.err.println("[ferry] comm_msg for unknown comm " + id + ": ignored");
            return;
        }
        forward.accept(m, request("msg", m, o.target()));
    }

    void close(Message m) {
        String id = m.str("comm_id", "");
        Open o = live(id);
        comms.remove(id);
        if (o != null) {
            forward.accept(m, request("close", m, o.target()));
        }
    }

    /** comm_info_reply's {@code comms}: {id: {target_name}} of the open comms, of one target when it is given. */
    JsonObject info(String targetName) {
        JsonObject out = new JsonObject();
        comms.forEach((id, o) -> {
            if (o.owner() == current.get() && (targetName == null || targetName.equals(o.target()))) {
                JsonObject t = new JsonObject();
                t.addProperty("target_name", o.target());
                out.add(id, t);
            }
        });
        return out;
    }

    private Open live(String id) {
        Open o = comms.get(id);
        if (o != null && o.owner() != current.get()) { // its worker was replaced: the comm died with it
            comms.remove(id);
            return null;
        }
        return o;
    }

    private static JsonObject request(String kind, Message m, String target) {
        JsonObject f = new JsonObject();
        f.addProperty("kind", kind);
        f.addProperty("comm_id", m.str("comm_id", ""));
        f.addProperty("target_name", target);
        f.add("data", m.content().has("data") && m.content().get("data").isJsonObject() ? m.content().get("data") : new JsonObject());
        f.add("metadata", m.metadata());
        return f;
    }

    // ---- worker -> kernel (calls, answered on a calls thread)

    JsonElement call(String target, JsonObject args, Worker caller) {
        if (caller != current.get()) {
            throw new IllegalStateException("comms work in the notebook's own session only, not in %%remote cells");
        }
        String id = str(args, "comm_id");
        switch (target) {
            case "comm.register" -> targets.put(require(args, "target_name"), caller);
            case "comm.unregister" -> targets.remove(require(args, "target_name"), caller);
            case "comm.open" -> {
                String t = require(args, "target_name");
                comms.put(require(args, "comm_id"), new Open(t, caller));
                JsonObject c = content(args);
                c.addProperty("target_name", t);
                ch.publish("comm_open", parent.get(), metadata(args), c);
            }
            case "comm.msg" -> {
                if (!comms.containsKey(id)) {
                    throw new IllegalStateException("comm " + id + " is closed (the front end closed it, or it was never open)");
                }
                ch.publish("comm_msg", parent.get(), metadata(args), content(args));
            }
            case "comm.close" -> {
                comms.remove(id);
                ch.publish("comm_close", parent.get(), metadata(args), content(args));
            }
            default -> throw new IllegalArgumentException("unknown call target '" + target + "'");
        }
        return JsonNull.INSTANCE;
    }

    private static JsonObject content(JsonObject args) {
        JsonObject c = new JsonObject();
        c.addProperty("comm_id", require(args, "comm_id"));
        c.add("data", args.has("data") && args.get("data").isJsonObject() ? args.get("data") : new JsonObject());
        return c;
    }

    private static JsonObject metadata(JsonObject args) {
        return args.has("metadata") && args.get("metadata").isJsonObject() ? args.getAsJsonObject("metadata") : null;
    }

    private static String require(JsonObject args, String key) {
        String v = str(args, key);
        if (v.isEmpty()) {
            throw new IllegalArgumentException("a comm call without '" + key + "'");
        }
        return v;
    }

    private static String str(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
    }
}

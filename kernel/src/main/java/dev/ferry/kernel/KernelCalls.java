package dev.ferry.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.remote.Worker;

/**
 * Answers the workers' calls into the kernel ({@code call} frames, docs/worker-protocol.md). Targets:
 * {@code history}: the input history, with history_request's fields ({@code hist_access_type} tail,
 * range or search; {@code n}, {@code session}, {@code start}, {@code stop}, {@code pattern},
 * {@code unique}); the value is the list of [session, line, source] triples. {@code remote.*}: the
 * control plane ({@link dev.ferry.remote.control.RemoteControl}). {@code store.*}: Dict and Queue of
 * workers in containers ({@link dev.ferry.remote.control.StoreCalls}).
 */
final class KernelCalls implements Worker.CallHandler {
    private final History history;
    private volatile dev.ferry.remote.control.RemoteControl remote;
    private volatile dev.ferry.remote.control.StoreCalls store;

    KernelCalls(History history) {
        this.history = history;
    }

    /** Targets {@code remote.*} go to the control plane of {@code %%remote}. */
    void remote(dev.ferry.remote.control.RemoteControl control) {
        this.remote = control;
    }

    /** Targets {@code store.*} (workers in containers) go to the kernel's store. */
    void store(dev.ferry.remote.control.StoreCalls calls) {
        this.store = calls;
    }

    @Override
    public JsonElement call(String target, JsonObject args, byte[] body, Worker.CallContext context) throws Exception {
        if (target.startsWith("store.") && store != null) {
            return store.call(target, args, body, context);
        }
        if (target.startsWith("remote.")) {
            if (remote == null) {
                throw new IllegalStateException("remote execution is not available in this kernel");
            }
            return remote.call(target, args, body, context);
        }
        return call(target, args);
    }

    @Override
    public JsonElement call(String target, JsonObject args) {
        if (target.equals("history")) {
            return history.query(str(args, "hist_access_type", "tail"), num(args, "n", 10), num(args, "session", 0),
                (int) num(args, "start", 0), (int) num(args, "stop", 0), str(args, "pattern", null),
                args.has("unique") && args.get("unique").getAsBoolean());
        }
        throw new IllegalArgumentException("unknown call target '" + target + "'");
    }

    private static String str(JsonObject o, String key, String dflt) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : dflt;
    }

    private static int num(JsonObject o, String key, int dflt) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : dflt;
    }
}

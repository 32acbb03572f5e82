package dev.ferry.kernel;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.remote.Worker;

/**
 * Answers the workers' calls into the kernel ({@code call} frames, docs/worker-protocol.md). Targets:
 * {@code history}: the input history, with history_request's fields ({@code hist_access_type} tail,
 * range or search; {@code n}, {@code session}, {@code start}, {@code stop}, {@code pattern},
 * {@code unique}, {@code output}); the value is the history_reply's {@code history} list. {@code comm.*}:
 * the comm registry ({@link Comms}). {@code remote.*}: the
 * control plane ({@link dev.ferry.remote.control.RemoteControl}). {@code store.*}: Dict and Queue of
 * workers in containers ({@link dev.ferry.remote.control.StoreCalls}). {@code function.*}: function calls on
 * the Ferry server ({@link FunctionCalls}).
 */
final class KernelCalls implements Worker.CallHandler {
    private final History history;
    private volatile dev.ferry.remote.control.RemoteControl remote;
    private volatile dev.ferry.remote.control.StoreCalls store;
    private volatile Comms comms;
    private volatile FunctionCalls functions;

    KernelCalls(History history) {
        this.history = history;
    }

    /** Targets {@code remote.*} go to the control plane of {@code %%remote}. */
    void remote(dev.ferry.remote.control.RemoteControl control) {
        this.remote = control;
    }

    /** Targets {@code comm.*} go to the kernel's comm registry. */
    void comms(Comms registry) {
        this.comms = registry;
    }

    /** Targets {@code function.*} go to the Ferry server ({@link FunctionCalls}). */
    void functions(FunctionCalls calls) {
        this.functions = calls;
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
        if (target.startsWith("comm.")) {
            if (comms == null) {
                throw new IllegalStateException("the kernel is still starting; comms are not available yet");
            }
            return comms.call(target, args, context.worker());
        }
        if (target.startsWith("function.") || target.startsWith("app.")) {
            if (functions == null) {
                throw new IllegalStateException("function calls are not available in this kernel");
            }
            return functions.call(target, args, body, context);
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
            return history.query(historyRequest(args));
        }
        throw new IllegalArgumentException("unknown call target '" + target + "'");
    }

    /** The fields of a history_request (or a worker's history call); absent and null fields take their defaults. */
    static History.Request historyRequest(JsonObject o) {
        Integer session = num(o, "session");
        return new History.Request(str(o, "hist_access_type", "tail"), num(o, "n"), session == null ? 0 : session,
                num(o, "start"), num(o, "stop"), str(o, "pattern", null), bool(o, "unique"), bool(o, "output"));
    }

    private static boolean bool(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() && o.get(key).getAsBoolean();
    }

    private static String str(JsonObject o, String key, String dflt) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : dflt;
    }

    private static Integer num(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsInt() : null;
    }
}

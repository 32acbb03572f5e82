package dev.ferry.spi;

import java.util.List;

/**
 * The one service between the user API ({@link dev.ferry.Function}, {@link dev.ferry.FunctionCall}) and what
 * runs the calls: in a notebook, the worker installs one at start that reaches the kernel, which talks to the
 * Ferry server. Outside a Ferry worker none is installed and the API says so.
 */
public interface FunctionRuntime {
    /** A call as the server has it now: its state name (PENDING, RUNNING, SUCCEEDED, ...), value or error. */
    record CallState(String id, String state, Object value, RuntimeException error, int attempts, int logChunks) {
        public CallState(String id, String state, Object value, RuntimeException error, int attempts) {
            this(id, state, value, error, attempts, 0);
        }

        public boolean finished() {
            return !state.equals("PENDING") && !state.equals("RUNNING");
        }
    }

    /** Printed output of a call: the stream ("stdout", "stderr") and its text. */
    record LogChunk(String stream, String text) {}

    /** A call's output chunks from {@code from} on, and the index after them. */
    record Logs(List<LogChunk> chunks, int next, boolean finished) {}

    /** Records a call of {@code spec} on {@code args} with the server; returns its id ("fc-..."). */
    String spawn(FunctionSpec spec, List<Object> args);

    /** Like {@link #spawn(FunctionSpec, List)}, the call tagged with the deployed app it belongs to (null: none). */
    default String spawn(FunctionSpec spec, List<Object> args, String app) {
        return spawn(spec, args);
    }

    /** The function {@code name} of the deployed app {@code app} ({@link dev.ferry.Function#fromName}). */
    default FunctionSpec lookup(String app, String name) {
        throw new UnsupportedOperationException("this function runtime cannot look up deployed apps");
    }

    /** The call, after waiting at most {@code timeoutMs} for it to finish (0: answers at once). */
    CallState get(String id, long timeoutMs);

    /** Cancels a pending or running call; a finished one keeps its outcome. */
    CallState cancel(String id);

    /**
     * Waits at most {@code timeoutMs} until one of the calls has finished; returns those that have (empty when
     * none did in time). The default asks for each in turn.
     */
    default List<CallState> await(List<String> ids, long timeoutMs) {
        List<CallState> done = new java.util.ArrayList<>();
        for (String id : ids) {
            CallState s = get(id, 0);
            if (s.finished()) {
                done.add(s);
            }
        }
        if (done.isEmpty() && !ids.isEmpty() && timeoutMs > 0) {
            CallState s = get(ids.get(0), timeoutMs);
            if (s.finished()) {
                done.add(s);
            }
        }
        return done;
    }

    /** What the call printed, from chunk {@code from} on. */
    default Logs logs(String id, int from) {
        throw new UnsupportedOperationException("this function runtime keeps no call logs");
    }

    /** Starts the function's min_containers warm workers now; returns the workers it has. */
    default int warm(FunctionSpec spec) {
        return 0;
    }

    /** Shows the progress of {@code total} calls (a bar in a notebook); the consumer takes the count done. */
    default java.util.function.IntConsumer progress(String label, int total) {
        return done -> { };
    }

    /** The installed runtime. */
    static FunctionRuntime current() {
        FunctionRuntime r = Holder.runtime;
        if (r == null) {
            throw new IllegalStateException("Ferry functions run only inside a Ferry notebook (no function runtime is"
                    + " installed in this JVM): declare the function with %%function in a Ferry kernel");
        }
        return r;
    }

    /** Installs the runtime (the worker does, at start). */
    static void install(FunctionRuntime runtime) {
        Holder.runtime = runtime;
    }

    /** Where the installed runtime is kept. */
    final class Holder {
        private static volatile FunctionRuntime runtime;

        private Holder() {}
    }
}

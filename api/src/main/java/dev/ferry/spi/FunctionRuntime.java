package dev.ferry.spi;

import java.util.List;

/**
 * The one service between the user API ({@link dev.ferry.Function}, {@link dev.ferry.FunctionCall}) and what
 * runs the calls: in a notebook, the worker installs one at start that reaches the kernel, which talks to the
 * Ferry server. Outside a Ferry worker none is installed and the API says so.
 */
public interface FunctionRuntime {
    /** A call as the server has it now: its state name (PENDING, RUNNING, SUCCEEDED, ...), value or error. */
    record CallState(String id, String state, Object value, RuntimeException error, int attempts) {
        public boolean finished() {
            return !state.equals("PENDING") && !state.equals("RUNNING");
        }
    }

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

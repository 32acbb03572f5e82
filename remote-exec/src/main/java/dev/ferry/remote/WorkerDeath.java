package dev.ferry.remote;

import dev.ferry.remote.engine.WorkerLaunch;

import java.util.List;

/** How a worker ended: exit code (or -1 when unknown) and the last lines of its raw output. */
public record WorkerDeath(int exitCode, List<String> lastLines, String protocolProblem) {

    /** One sentence for the user: what happened, that state was lost, and what to do. */
    public String explain() {
        return explain("To give it more memory (Ferry's default is " + WorkerLaunch.DEFAULT_HEAP + "), set"
                + " FERRY_JVM_OPTS=-Xmx<size> (e.g. -Xmx8g) and restart the kernel, or install the kernelspec"
                + " with install/install.sh --worker-opts \"-Xmx8g\".");
    }

    /** Whether the JVM's output says it ran out of heap (java.lang.OutOfMemoryError). */
    public boolean outOfMemory() {
        return String.join("\n", lastLines).contains("OutOfMemoryError");
    }

    /**
     * As {@link #explain()}, with {@code memoryAdvice} as the fix for an out-of-memory death: where the worker runs
     * decides the knob (FERRY_JVM_OPTS for the notebook's worker, {@code memory=} for a container).
     */
    public String explain(String memoryAdvice) {
        StringBuilder s = new StringBuilder("The worker JVM ");
        if (outOfMemory()) {
            s.append("ran out of memory (java.lang.OutOfMemoryError) and exited");
        } else if (exitCode == 137) {
            s.append("was killed (SIGKILL, exit code 137)");
        } else if (exitCode > 128 && exitCode < 160) {
            s.append("was killed by signal ").append(exitCode - 128).append(" (exit code ").append(exitCode).append(')');
        } else if (exitCode >= 0) {
            s.append("exited with code ").append(exitCode);
            if (exitCode != 0) {
                s.append(" (System.exit or a fatal error)");
            }
        } else {
            s.append("stopped answering");
        }
        if (protocolProblem != null) {
            s.append("; protocol problem: ").append(protocolProblem);
        }
        s.append(". The session state was lost: variables, imports and definitions are gone."
                + " The next cell runs in a fresh worker.");
        if (outOfMemory()) {
            s.append(' ').append(memoryAdvice);
        }
        return s.toString();
    }
}

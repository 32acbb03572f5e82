package dev.ferry.remote;

import java.util.List;

/** How a worker ended: exit code (or -1 when unknown) and the last lines of its raw output. */
public record WorkerDeath(int exitCode, List<String> lastLines, String protocolProblem) {

    /** One sentence for the user: what happened, that state was lost, and what to do. */
    public String explain() {
        StringBuilder s = new StringBuilder("The worker JVM ");
        String tail = String.join("\n", lastLines);
        if (tail.contains("OutOfMemoryError")) {
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
        if (tail.contains("OutOfMemoryError")) {
            s.append(" To give it more memory (Ferry's default is " + WorkerLaunch.DEFAULT_HEAP + "), set"
                    + " FERRY_JVM_OPTS=-Xmx<size> (e.g. -Xmx8g) and restart the kernel, or install the kernelspec"
                    + " with install/install.sh --worker-opts \"-Xmx8g\".");
        }
        return s.toString();
    }
}

package dev.ferry.remote.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How to start a local worker JVM: the java executable, JVM options, class path and extra environment. */
public record WorkerLaunch(String java, List<String> jvmOptions, String classPath, Map<String, String> env, Path workDir) {
    public static final String MAIN = "dev.ferry.remote.worker.WorkerMain";

    /** The command line: the shell moves frames to descriptors 3/4 and gives the JVM /dev/null as stdin. */
    public List<String> command() {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c",
                "exec \"$0\" \"$@\" 3>&1 4<&0 1>&2 0</dev/null", java));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, MAIN, "--protocol-fds"));
        return cmd;
    }
}

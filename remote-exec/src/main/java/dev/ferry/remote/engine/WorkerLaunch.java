package dev.ferry.remote.engine;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** How to start a local worker JVM: the java executable, JVM options, class path and extra environment. */
public record WorkerLaunch(String java, List<String> jvmOptions, String classPath, Map<String, String> env, Path workDir) {
    public static final String MAIN = "dev.ferry.remote.worker.WorkerMain";

    /**
     * The local worker's heap limit when no option sets one. The JVM's own default, a quarter of RAM,
     * lets a runaway cell fill gigabytes before its OutOfMemoryError (10-25 s); 2 GiB fails in a few
     * seconds and leaves room for real work (DuckDB and Arrow data live outside the heap).
     */
    public static final String DEFAULT_HEAP = "-Xmx2g";

    /**
     * {@link #DEFAULT_HEAP} as a list, or nothing when {@code options} size the heap themselves
     * ({@code -Xmx}, {@code -Xms}, {@code -XX:MaxHeapSize}, {@code -XX:MaxRAM...}) or when the JVM's
     * default (a quarter of {@code physicalMemory} bytes; 0 when unknown) is no bigger.
     */
    public static List<String> defaultHeap(List<String> options, long physicalMemory) {
        boolean sized = options.stream().anyMatch(o -> o.startsWith("-Xmx") || o.startsWith("-Xms")
                || o.startsWith("-XX:MaxHeapSize") || o.startsWith("-XX:InitialHeapSize") || o.startsWith("-XX:MaxRAM"));
        if (sized || (physicalMemory > 0 && physicalMemory / 4 <= 2L << 30)) {
            return List.of();
        }
        return List.of(DEFAULT_HEAP);
    }

    /** The command line: the shell moves frames to descriptors 3/4 and gives the JVM /dev/null as stdin. */
    public List<String> command() {
        List<String> cmd = new java.util.ArrayList<>(List.of("sh", "-c",
                "exec \"$0\" \"$@\" 3>&1 4<&0 1>&2 0</dev/null", java));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, MAIN, "--protocol-fds"));
        return cmd;
    }
}

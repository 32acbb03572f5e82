package dev.ferry.remote.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The one description of a worker JVM's launch, wherever it runs: the java executable, JVM options, class
 * path, extra environment and working directory. The notebook's own worker is started from one
 * ({@link ProcessPlacement#start}); every other placement carries one in its {@link PlacementSpec}, and an
 * engine turns it into its own command ({@link #command()}, with its paths where they differ).
 */
public record WorkerLaunch(String java, List<String> jvmOptions, List<Path> classPath, Map<String, String> env,
                           Path workDir) {
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

    public WorkerLaunch {
        jvmOptions = List.copyOf(jvmOptions);
        classPath = List.copyOf(classPath);
        env = Map.copyOf(env);
    }

    /**
     * A launch on a class path string ({@code a.jar:dir/*}), kept as written: a local JVM expands
     * {@code dir/*} itself, exactly as when its class-data archive was made (the order matters to it).
     */
    public static WorkerLaunch of(String java, List<String> jvmOptions, String classPath) {
        List<Path> entries = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            if (!e.isBlank()) {
                entries.add(Path.of(e));
            }
        }
        return new WorkerLaunch(java, jvmOptions, entries, Map.of(), null);
    }

    /** The class path with {@code dir/*} entries expanded to their jars (what an engine delivers file by file). */
    public List<Path> expandedClassPath() {
        return expand(String.join(File.pathSeparator, classPath.stream().map(Path::toString).toList()));
    }

    /** The same launch with more JVM options (after these, so they win). */
    public WorkerLaunch withOptions(List<String> more) {
        List<String> all = new ArrayList<>(jvmOptions);
        all.addAll(more);
        return new WorkerLaunch(java, all, classPath, env, workDir);
    }

    /** The same launch with other JVM options. */
    public WorkerLaunch withJvmOptions(List<String> options) {
        return new WorkerLaunch(java, options, classPath, env, workDir);
    }

    /** The same launch with more environment variables. */
    public WorkerLaunch withEnv(Map<String, String> more) {
        Map<String, String> all = new HashMap<>(env);
        all.putAll(more);
        return new WorkerLaunch(java, jvmOptions, classPath, all, workDir);
    }

    /** The command line: the shell moves frames to descriptors 3/4 and gives the JVM /dev/null as stdin. */
    public List<String> command() {
        return command(java, jvmOptions, classPath.stream().map(Path::toString).toList());
    }

    /** The command line of this launch in a placement whose java and class path entries are named otherwise. */
    public static List<String> command(String java, List<String> jvmOptions, List<String> classPath) {
        List<String> cmd = new ArrayList<>(List.of("sh", "-c", "exec \"$0\" \"$@\" 3>&1 4<&0 1>&2 0</dev/null", java));
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", String.join(File.pathSeparator, classPath), MAIN, "--protocol-fds"));
        return cmd;
    }

    /** A class path string as a list of entries, with {@code dir/*} entries expanded to their jars. */
    public static List<Path> expand(String classPath) {
        List<Path> out = new ArrayList<>();
        for (String e : classPath.split(File.pathSeparator)) {
            if (e.isBlank()) {
                continue;
            }
            if (e.endsWith("*")) {
                Path dir = Path.of(e.substring(0, e.length() - 1));
                try (var s = Files.list(dir)) {
                    s.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(out::add);
                } catch (IOException ex) {
                    // an unreadable entry adds nothing
                }
            } else {
                out.add(Path.of(e));
            }
        }
        return out;
    }

    /** The class path of this JVM, expanded. */
    public static List<Path> currentClassPath() {
        return expand(dev.ferry.spi.FerryEnv.current().classPath());
    }

    @Override
    public String toString() {
        return String.join(" ", command().stream().map(a -> a.contains(" ") ? "'" + a + "'" : a)
                .collect(Collectors.toList()));
    }
}

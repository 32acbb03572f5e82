package dev.ferry.remote.control;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * How the control plane starts remote workers: the JVM options every worker gets (the engine adds its
 * class path), the kernel's class path (the worker program), the kernel's JDK major version, which a
 * container's JDK must match, and Ferry's data directory (the store of Dict and Queue), or null.
 */
public record WorkerTemplate(String java, List<String> jvmOptions, List<Path> classPath, int jdkMajor, Path dataDir) {
    public WorkerTemplate {
        jvmOptions = List.copyOf(jvmOptions);
        classPath = List.copyOf(classPath);
    }

    /** The class path of this JVM, with {@code dir/*} entries expanded to their jars. */
    public static List<Path> currentClassPath() {
        return expand(System.getProperty("java.class.path"));
    }

    /** A class path string as a list of entries, with {@code dir/*} entries expanded to their jars. */
    public static List<Path> expand(String classPath) {
        List<Path> out = new java.util.ArrayList<>();
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
}

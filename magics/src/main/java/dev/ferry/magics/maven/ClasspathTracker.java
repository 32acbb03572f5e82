package dev.ferry.magics.maven;

import dev.ferry.magics.JavaSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;

/**
 * Remembers which jars and folders each Java session already has, so {@code %maven} and {@code %classpath}
 * add each one once, and writes the one-line summary.
 */
final class ClasspathTracker {
    private static final int LISTED = 8;

    private final Map<JavaSession, Set<Path>> added = Collections.synchronizedMap(new WeakHashMap<>());

    /** What one call added, and what it skipped because the session already had it. */
    record Outcome(List<Path> added, List<Path> skipped) {
        /** e.g. "Added 3 jars: a.jar, b.jar, c.jar" or "Nothing added: a.jar is already on the class path". */
        String summary() {
            StringBuilder b = new StringBuilder();
            if (added.isEmpty()) {
                b.append("Nothing added: ").append(names(skipped))
                        .append(skipped.size() == 1 ? " is" : " are").append(" already on the class path");
                return b.toString();
            }
            long jars = added.stream().filter(p -> !Files.isDirectory(p)).count();
            long dirs = added.size() - jars;
            b.append("Added ");
            if (jars > 0) {
                b.append(jars).append(jars == 1 ? " jar" : " jars");
            }
            if (dirs > 0) {
                b.append(jars > 0 ? " and " : "").append(dirs).append(dirs == 1 ? " folder" : " folders");
            }
            b.append(": ").append(names(added));
            if (!skipped.isEmpty()) {
                b.append(" (").append(skipped.size()).append(" already on the class path)");
            }
            return b.toString();
        }

        private static String names(List<Path> paths) {
            List<String> n = new ArrayList<>();
            for (int i = 0; i < paths.size() && i < LISTED; i++) {
                Path f = paths.get(i).getFileName();
                n.add(f == null ? paths.get(i).toString() : f.toString());
            }
            String s = String.join(", ", n);
            return paths.size() > LISTED ? s + " and " + (paths.size() - LISTED) + " more" : s;
        }
    }

    /** Adds each path the session does not have yet, in order. */
    Outcome add(JavaSession session, List<Path> paths) {
        List<Path> did = new ArrayList<>();
        List<Path> skipped = new ArrayList<>();
        Set<Path> have;
        synchronized (added) {
            have = added.computeIfAbsent(session, s -> Collections.synchronizedSet(new HashSet<>()));
        }
        for (Path p : paths) {
            Path key = canonical(p);
            if (have.contains(key)) {
                skipped.add(p);
                continue;
            }
            session.addToClasspath(key);
            have.add(key);
            did.add(p);
        }
        return new Outcome(did, skipped);
    }

    private static Path canonical(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}

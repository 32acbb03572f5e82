package dev.ferry.magics.maven;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** {@code %classpath PATH|GLOB ...}: adds jars or class folders to the session. */
final class ClasspathMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("classpath", MagicSpec.Kind.LINE)
            .summary("Add jars or class folders to the class path")
            .arg(ArgSpec.positional("path", ArgSpec.Type.STRING).required()
                    .help("a jar, a class folder, or a glob of jars").example("lib/*.jar"))
            .rest("more", "further paths or globs, separated by spaces")
            .details("""
                    Relative paths and globs start at the session directory (%pwd); ~ is the home folder. \
                    A glob (*, ?, [..], {a,b}; ** crosses folders) adds the jars it matches, or the folders \
                    it matches when it matches no jar. A glob that matches nothing is an error. Paths \
                    already added are skipped.

                    Examples:
                      %classpath lib/*.jar
                      %classpath target/classes
                      %classpath libs/**/*.jar ~/jars/util.jar""")
            .build();

    private final ClasspathTracker tracker;

    ClasspathMagic(ClasspathTracker tracker) {
        this.tracker = tracker;
    }

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext context) {
        JavaSession session = MavenMagics.session(context, "%classpath");
        List<String> items = MavenMagics.words(context, "path");
        Path dir = session.directory();
        List<Path> paths = new ArrayList<>();
        for (String item : items) {
            for (Path p : expand(dir, item)) {
                if (!paths.contains(p)) {
                    paths.add(p);
                }
            }
        }
        context.stdout(tracker.add(session, paths).summary() + "\n");
        return null;
    }

    /** The jars and folders one argument names, in a stable (sorted) order. */
    static List<Path> expand(Path dir, String item) {
        String text = item.equals("~") ? dev.ferry.spi.FerryEnv.current().userHome()
                : item.startsWith("~/") ? dev.ferry.spi.FerryEnv.current().userHome() + item.substring(1) : item;
        int glob = firstGlobChar(text);
        if (glob < 0) {
            Path p = dir.resolve(text).normalize();
            if (!Files.exists(p)) {
                throw new MagicException("%classpath: no such file or folder: " + p
                        + (Path.of(text).isAbsolute() ? "" : " (relative paths start at the session directory "
                        + dir + "; see %pwd)"));
            }
            if (!Files.isDirectory(p) && !isJar(p)) {
                throw new MagicException("%classpath: " + p + " is neither a jar nor a class folder");
            }
            return List.of(p);
        }
        int cut = text.lastIndexOf('/', glob);
        String baseText = cut < 0 ? "" : cut == 0 ? "/" : text.substring(0, cut);
        String pattern = text.substring(cut + 1);
        Path base = dir.resolve(baseText).normalize();
        if (!Files.isDirectory(base)) {
            throw new MagicException("%classpath: '" + item + "' matches nothing: " + base + " is not a folder");
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        int depth = pattern.contains("**") ? Integer.MAX_VALUE : pattern.split("/", -1).length;
        List<Path> jars = new ArrayList<>();
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.walk(base, depth)) {
            s.filter(p -> !p.equals(base) && matcher.matches(base.relativize(p))).sorted().forEach(p -> {
                if (Files.isDirectory(p)) {
                    dirs.add(p);
                } else if (isJar(p)) {
                    jars.add(p);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            throw new MagicException("%classpath: could not list " + base + ": " + e.getMessage());
        }
        if (!jars.isEmpty()) {
            return jars;
        }
        if (!dirs.isEmpty()) {
            return dirs;
        }
        throw new MagicException("%classpath: '" + item + "' matches no jar or folder in " + base
                + (Path.of(baseText.isEmpty() ? "." : baseText).isAbsolute() ? ""
                : " (relative paths start at the session directory " + dir + "; see %pwd)"));
    }

    private static int firstGlobChar(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == '{') {
                return i;
            }
        }
        return -1;
    }

    private static boolean isJar(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(p) && (n.endsWith(".jar") || n.endsWith(".zip"));
    }
}

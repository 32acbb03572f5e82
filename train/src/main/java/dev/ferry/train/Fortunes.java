package dev.ferry.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Loads the {@code fortune} databases that Debian ships ({@code fortunes-min}, {@code fortunes}: plain text,
 * one fortune per {@code %}-separated block, one file per category) from {@code /usr/share/games/fortunes}.
 * When none is installed it falls back to a small built-in text and says so in {@link Corpus#note()}.
 */
public final class Fortunes {

    public static final Path DEBIAN_DIR = Path.of("/usr/share/games/fortunes");

    /** Text by category name, and where it came from. */
    public record Corpus(Map<String, String> categories, String source, String note) {
        /** Every category except {@code exclude}, joined. */
        public String textExcept(String... exclude) {
            StringBuilder sb = new StringBuilder();
            categories.forEach((k, v) -> {
                if (!List.of(exclude).contains(k)) sb.append(v);
            });
            return sb.toString();
        }

        public String text(String... only) {
            StringBuilder sb = new StringBuilder();
            for (String k : only) sb.append(categories.getOrDefault(k, ""));
            return sb.toString();
        }

        public String all() {
            return textExcept();
        }
    }

    private Fortunes() {}

    public static Corpus load() {
        String dir = System.getenv("FERRY_FORTUNES_DIR");
        return load(dir != null ? Path.of(dir) : DEBIAN_DIR);
    }

    /** Category files in {@code dir} (names without a dot; {@code .dat} indexes and links are skipped). */
    public static Corpus load(Path dir) {
        Map<String, String> cats = new TreeMap<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                    String name = f.getFileName().toString();
                    if (name.contains(".") || !Files.isRegularFile(f)) continue;
                    String text = new String(Files.readAllBytes(f), StandardCharsets.UTF_8);
                    cats.put(name, clean(text));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("reading fortunes from " + dir + ": " + e.getMessage(), e);
            }
        }
        if (!cats.isEmpty()) {
            return new Corpus(cats, dir.toString(), "fortunes: " + cats.size() + " categories from " + dir);
        }
        return new Corpus(Map.of("builtin", clean(BUILTIN)), "builtin",
                "fortunes: none in " + dir + " (install the Debian package fortunes-min or fortunes);"
                        + " using a small built-in text");
    }

    /** One fortune per paragraph: the {@code %} separator lines become blank lines. */
    static String clean(String raw) {
        List<String> out = new ArrayList<>();
        for (String block : raw.replace("\r", "").split("(?m)^%\\s*$")) {
            String b = block.strip();
            if (!b.isEmpty()) out.add(b);
        }
        return String.join("\n\n", out) + "\n\n";
    }

    static final String BUILTIN = String.join("\n%\n",
            "A journey of a thousand miles begins with a single step.",
            "The best way to predict the future is to invent it.",
            "Simplicity is prerequisite for reliability.",
            "Premature optimization is the root of all evil.",
            "There are two hard things in computer science: cache invalidation, naming things, and off-by-one errors.",
            "If debugging is the process of removing bugs, then programming must be the process of putting them in.",
            "Measure twice, cut once.",
            "Any sufficiently advanced technology is indistinguishable from magic.",
            "Walking on water and developing software from a specification are easy if both are frozen.",
            "The sea is calm tonight. The tide is full, the moon lies fair upon the straits.",
            "It is a truth universally acknowledged that a program in possession of a bug must be in want of a test.",
            "To be, or not to be, that is the question.",
            "Fools rush in where angels fear to tread.",
            "He who laughs last thinks slowest.",
            "Time flies like an arrow; fruit flies like a banana.",
            "A ferry crosses the river twice a day, and the river does not mind.",
            "Never trust a computer you cannot throw out of a window.",
            "The cheapest, fastest and most reliable components are those that are not there.");
}

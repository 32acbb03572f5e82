package dev.ferry.magics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The magics known to a kernel or worker, by name and alias. Thread-safe. Fill it with
 * {@link #register} or, to take every module's magics, {@link #load(ClassLoader)}.
 */
public final class MagicRegistry {
    private final Map<String, Magic> byName = new TreeMap<>();
    private final Map<String, Magic> byAlias = new TreeMap<>();

    /** An empty registry. */
    public MagicRegistry() {
    }

    /** A registry holding the magics of every {@link MagicProvider} visible to the thread's context class loader. */
    public static MagicRegistry load() {
        return load(Thread.currentThread().getContextClassLoader());
    }

    /** A registry holding the magics of every {@link MagicProvider} that {@code loader} can see. */
    public static MagicRegistry load(ClassLoader loader) {
        MagicRegistry registry = new MagicRegistry();
        for (MagicProvider provider : ServiceLoader.load(MagicProvider.class, loader)) {
            for (Magic magic : provider.magics()) {
                registry.register(magic);
            }
        }
        return registry;
    }

    /**
     * Adds a magic under its name and aliases. A name already taken is an {@link IllegalArgumentException}
     * naming both classes (two modules must not silently shadow each other).
     */
    public synchronized MagicRegistry register(Magic magic) {
        MagicSpec spec = Objects.requireNonNull(magic.spec(), "spec of " + magic.getClass().getName());
        List<String> names = new ArrayList<>(spec.aliases());
        names.add(0, spec.name());
        for (String n : names) {
            Magic other = find(n);
            if (other != null) {
                throw new IllegalArgumentException("magic name '" + n + "' of " + magic.getClass().getName()
                    + " is already taken by " + other.getClass().getName());
            }
        }
        byName.put(spec.name(), magic);
        for (String alias : spec.aliases()) {
            byAlias.put(alias, magic);
        }
        return this;
    }

    /** The magic with this name or alias (percent signs allowed), or an error that suggests a close one. */
    public synchronized Magic lookup(String name) {
        String bare = strip(name);
        Magic m = find(bare);
        if (m == null) {
            throw unknown(name.startsWith("%%") ? "%%" : "%", bare);
        }
        return m;
    }

    /**
     * The magic a segment invokes, checking it is used as its kind allows: a cell-only magic on a line of
     * its own (or the reverse) is an error that says where to put it.
     */
    public synchronized Magic lookup(ParsedCell.Segment segment) {
        if (!segment.isMagic()) {
            throw new IllegalArgumentException("not a magic: " + segment);
        }
        boolean cell = segment.isCell();
        Magic m = find(segment.name());
        if (m == null) {
            throw unknown(cell ? "%%" : "%", segment.name());
        }
        MagicSpec.Kind kind = m.spec().kind();
        if (!kind.allows(cell)) {
            throw new MagicException(cell
                ? "%%" + segment.name() + " is a line magic: write %" + segment.name()
                    + " on a line of its own (the rest of the cell stays Java)"
                : "%" + segment.name() + " is a cell magic: write %%" + segment.name()
                    + " on the first line of the cell, with what it works on below it");
        }
        return m;
    }

    /** All magics, sorted by name (aliases not repeated). */
    public synchronized List<MagicSpec> list() {
        List<MagicSpec> out = new ArrayList<>();
        for (Magic m : byName.values()) {
            out.add(m.spec());
        }
        return out;
    }

    /** The {@code %lsmagic} text: line magics, then cell magics, one line each with the summary. */
    public synchronized String listing() {
        StringBuilder sb = new StringBuilder();
        section(sb, "Line magics", "%", false);
        section(sb, "Cell magics", "%%", true);
        sb.append("Run %name? (or %help name) for the arguments of one.\n");
        return sb.toString();
    }

    /** The full help of a magic, generated from its declared arguments. */
    public synchronized String help(String name) {
        return Help.full(lookup(name).spec());
    }

    /**
     * Magic names that complete {@code prefix}. With {@code %%} only magics usable as cell magics, with
     * {@code %} those usable as line magics, each returned with the same percent signs; with none, bare
     * names. Aliases included; sorted.
     */
    public synchronized List<String> complete(String prefix) {
        String percent = prefix.startsWith("%%") ? "%%" : prefix.startsWith("%") ? "%" : "";
        String start = prefix.substring(percent.length());
        TreeSet<String> out = new TreeSet<>();
        addMatches(byName, percent, start, out);
        addMatches(byAlias, percent, start, out);
        return new ArrayList<>(out);
    }

    /**
     * Completions for the last word of {@code partialLine} (the argument text before the cursor): argument
     * names as {@code name=}, flags as {@code --name} (or {@code -x} after a single dash), and allowed or
     * boolean values after {@code name=}. Each completion replaces that last word, which starts after the
     * last whitespace of {@code partialLine}.
     */
    public List<String> completeArgs(MagicSpec spec, String partialLine) {
        return Completer.completeArgs(spec, partialLine == null ? "" : partialLine);
    }

    private void section(StringBuilder sb, String title, String percent, boolean cell) {
        List<String[]> rows = new ArrayList<>();
        int width = 0;
        for (Magic m : byName.values()) {
            MagicSpec s = m.spec();
            if (s.kind().allows(cell)) {
                String n = percent + s.name();
                rows.add(new String[] {n, s.summary()});
                width = Math.max(width, n.length());
            }
        }
        sb.append(title).append(":\n");
        if (rows.isEmpty()) {
            sb.append("  (none)\n");
        }
        for (String[] r : rows) {
            sb.append("  ").append(r[0]).append(" ".repeat(width - r[0].length() + 2)).append(r[1]).append('\n');
        }
        sb.append('\n');
    }

    private static void addMatches(Map<String, Magic> map, String percent, String start, TreeSet<String> out) {
        for (Map.Entry<String, Magic> e : map.entrySet()) {
            MagicSpec.Kind kind = e.getValue().spec().kind();
            boolean fits = percent.isEmpty() || kind.allows(percent.equals("%%"));
            if (fits && e.getKey().startsWith(start)) {
                out.add(percent + e.getKey());
            }
        }
    }

    private Magic find(String bare) {
        Magic m = byName.get(bare);
        return m != null ? m : byAlias.get(bare);
    }

    private MagicException unknown(String percent, String bare) {
        List<String> names = new ArrayList<>(byName.keySet());
        names.addAll(byAlias.keySet());
        String close = Suggest.closest(bare, names);
        String suggestion = ".";
        if (close != null) {
            Magic m = find(close);
            boolean asCell = percent.equals("%%") ? m.spec().kind().allows(true) : !m.spec().kind().allows(false);
            suggestion = "; did you mean " + (asCell ? "%%" : "%") + close + "?";
        }
        return new MagicException("unknown magic " + percent + bare + suggestion + " Run %lsmagic for the list");
    }

    private static String strip(String name) {
        String n = Objects.requireNonNull(name, "name").strip();
        while (n.startsWith("%")) {
            n = n.substring(1);
        }
        return n;
    }
}

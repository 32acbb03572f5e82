package dev.ferry.remote.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The imports every session has, and the rule for names that several packages share.
 *
 * <p>A session starts with the packages the jshell tool imports on demand ({@code java.util.*}, ...),
 * Ferry's user API as static members ({@code display}, {@code html}, ...) and Ferry's types as
 * single-type imports. A single-type import shadows every on-demand import, so a Ferry type always wins
 * over a JDK type of the same simple name ({@code Queue} is Ferry's, not {@code java.util.Queue}).
 *
 * <p>The common JDK names in {@link #PREFERRED} win the same way, but only once they can clash: before
 * the session's first on-demand import of its own ({@code import java.awt.*;}, which has a {@code List}
 * of its own), they are imported by single type, so {@code List} stays {@code java.util.List}. A
 * preferred name that a Ferry type has is left out (a Ferry {@code Function} would drop
 * {@code java.util.function.Function} from the list), and so is a name the session already imports by
 * single type or declares itself: the notebook's own choice wins ({@code import java.awt.List;} replaces
 * {@code java.util.List}).
 */
final class DefaultImports {
    private DefaultImports() {}

    /** Packages imported on demand: those the jshell tool imports at startup. */
    static final List<String> PACKAGES = List.of("java.io", "java.math", "java.net", "java.nio.file", "java.util",
            "java.util.concurrent", "java.util.function", "java.util.regex", "java.util.stream");

    /** Ferry's user API types, imported by single type: they win over any on-demand import. */
    static final List<String> FERRY_TYPES = List.of("dev.ferry.storage.Dict", "dev.ferry.storage.Queue",
            "dev.ferry.storage.Volume", "dev.ferry.storage.Secret", "dev.ferry.remote.image.Image",
            "dev.ferry.arrow.Table", "dev.ferry.api.Comm", "dev.ferry.api.Comms",
            "dev.ferry.Function", "dev.ferry.FunctionCall", "dev.ferry.WebResponse");

    /** JDK types Ferry's API takes, imported by single type ({@code call.get(Duration.ZERO)}). */
    static final List<String> API_JDK_TYPES = List.of("java.time.Duration");

    /** JDK types that keep their simple name when a later on-demand import brings a namesake. */
    static final List<String> PREFERRED = List.of("java.util.List", "java.util.Map", "java.util.Set",
            "java.util.Collection", "java.util.Iterator", "java.util.Optional", "java.util.Objects",
            "java.util.Queue", "java.util.function.Function", "java.util.function.BiFunction",
            "java.util.function.Supplier", "java.util.function.Consumer", "java.util.function.Predicate",
            "java.util.stream.Stream");

    /** What a session evaluates at start, in this order. */
    static final List<String> STARTUP = startup();

    /**
     * The first import of {@link #STARTUP_SOURCE}: it imports nothing ({@code Object} has no member types)
     * and no notebook writes it. JShell keys an import snippet by its first import, and a later snippet
     * with the same key replaces it: a user's {@code import java.util.*;} must not replace all of STARTUP.
     */
    static final String STARTUP_KEY = "import java.lang.Object.*;";

    /**
     * STARTUP as one JShell snippet, evaluated at start: JShell compiles a snippet's source as a whole, so
     * every import in it is in effect, and one compilation instead of one per import saves most of a cold
     * worker's start (each compilation costs ~100 ms of CPU before the JIT has warmed up).
     */
    static final String STARTUP_SOURCE = STARTUP_KEY + " " + String.join(" ", STARTUP);

    /** The PREFERRED imports that apply: without the names a Ferry type has. */
    static final List<String> PREFERRED_IMPORTS = PREFERRED.stream()
            .filter(t -> FERRY_TYPES.stream().noneMatch(f -> simpleName(f).equals(simpleName(t))))
            .map(t -> "import " + t + ";")
            .collect(Collectors.toUnmodifiableList());

    private static final Pattern ON_DEMAND = Pattern.compile("\\s*import\\s+(static\\s+)?[\\w.$\\s]+\\.\\s*\\*\\s*;?\\s*");

    private static List<String> startup() {
        List<String> out = new ArrayList<>();
        PACKAGES.forEach(p -> out.add("import " + p + ".*;"));
        out.add("import static dev.ferry.api.Ferry.*;");
        FERRY_TYPES.forEach(t -> out.add("import " + t + ";"));
        API_JDK_TYPES.forEach(t -> out.add("import " + t + ";"));
        return List.copyOf(out);
    }

    /** True for an import Ferry made (left out of what a remote cell gets: every session has them). */
    static boolean isFerrys(String importSource) {
        String s = importSource.strip();
        return s.equals(STARTUP_SOURCE) || STARTUP.contains(s) || PREFERRED_IMPORTS.contains(s);
    }

    /** True when the source is one on-demand import ({@code import a.b.*;}, static or not). */
    static boolean isOnDemandImport(String source) {
        return ON_DEMAND.matcher(source).matches();
    }

    /** The PREFERRED imports to add now, leaving out the simple names in {@code taken}. */
    static List<String> preferredExcept(Set<String> taken) {
        return PREFERRED_IMPORTS.stream()
                .filter(i -> !taken.contains(simpleName(i.substring("import ".length(), i.length() - 1))))
                .toList();
    }

    private static final Pattern QUALIFIED = Pattern.compile("\\b((?:[a-z_$][\\w$]*\\.)+)([A-Z][\\w$]*)");

    /**
     * A type name as the notebook would write it ({@code %whos}): the qualified names that the session's
     * imports make visible by their simple name ({@code packages} on demand, {@code types} by single type,
     * plus java.lang) are shortened, generics included ({@code java.util.List<dev.ferry.storage.Dict>} →
     * {@code List<Dict>}). JShell does this itself only for import snippets it can see one by one, and
     * Ferry's defaults are one snippet.
     */
    static String simplify(String typeName, java.util.Collection<String> packages, java.util.Collection<String> types) {
        if (typeName == null || typeName.indexOf('.') < 0) {
            return typeName;
        }
        java.util.regex.Matcher m = QUALIFIED.matcher(typeName);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String pkg = m.group(1).substring(0, m.group(1).length() - 1);
            String full = pkg + "." + m.group(2);
            String simple = m.group(2);
            boolean shadowed = types.stream().anyMatch(t -> !t.equals(full) && simpleName(t).equals(simple));
            boolean visible = types.contains(full)
                    || (!shadowed && (pkg.equals("java.lang") || packages.contains(pkg)));
            m.appendReplacement(out, java.util.regex.Matcher.quoteReplacement(visible ? m.group(2) : full));
        }
        m.appendTail(out);
        return out.toString();
    }

    static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }
}

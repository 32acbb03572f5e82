package dev.ferry.magics.general;

import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code %env}: lists the environment (likely secrets hidden), shows one variable, or sets one. A JVM
 * cannot change its own environment, so a value set here goes into an overlay that the processes started
 * by magics ({@code %%bash}, {@code %%sh}) get; {@code System.getenv} in Java code does not see it.
 */
final class EnvMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("env", MagicSpec.Kind.LINE)
        .summary("Show or set environment variables (set: for processes that magics start)")
        .rest("assignment", "NAME to show one variable, NAME=VALUE (or NAME VALUE) to set one")
        .details("""
            %env              lists all variables; values of names containing KEY, SECRET, TOKEN or PASS
                              are shown as <hidden>
            %env NAME         the value of NAME (the cell's result)
            %env NAME=VALUE   sets NAME for the processes magics start from now on (%%bash, %%sh);
                              the worker JVM's own environment (System.getenv) cannot change""")
        .build();

    private static final String[] HIDE = {"KEY", "SECRET", "TOKEN", "PASS"};
    private static final Map<String, String> OVERLAY = new ConcurrentHashMap<>();
    /** The environment the overlay goes on top of (a fake in the tests). */
    private final Map<String, String> base;

    EnvMagic() {
        this(dev.ferry.spi.FerryEnv.current().env());
    }

    EnvMagic(Map<String, String> base) {
        this.base = base;
    }

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    /** What %env set, for child processes. */
    static Map<String, String> overlay() {
        return Map.copyOf(OVERLAY);
    }

    static void clearOverlay() {
        OVERLAY.clear();
    }

    Map<String, String> environment() {
        Map<String, String> env = new TreeMap<>(base);
        env.putAll(OVERLAY);
        return env;
    }

    static boolean hidden(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (String h : HIDE) {
            if (upper.contains(h)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Object execute(MagicContext ctx) {
        String rest = ctx.args().rest().strip();
        if (rest.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            environment().forEach((k, v) -> sb.append(k).append('=').append(hidden(k) ? "<hidden>" : v).append('\n'));
            ctx.stdout(sb.toString());
            return null;
        }
        int eq = rest.indexOf('=');
        int ws = indexOfWhitespace(rest);
        if (eq < 0 && ws < 0) {
            String v = environment().get(rest);
            if (v == null) {
                throw new MagicException("%env: the environment has no variable " + rest);
            }
            return v;
        }
        int cut = eq < 0 ? ws : ws < 0 ? eq : Math.min(eq, ws);
        String name = rest.substring(0, cut).strip();
        String value = unquote(rest.substring(cut + 1).strip());
        if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new MagicException("%env: '" + name + "' is not a valid variable name; write %env NAME=VALUE");
        }
        OVERLAY.put(name, value);
        ctx.stdout("env: " + name + "=" + value + "\n");
        ctx.stdout("(for processes that magics start, such as %%bash; System.getenv() in Java does not change)\n");
        return null;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    private static String unquote(String s) {
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}

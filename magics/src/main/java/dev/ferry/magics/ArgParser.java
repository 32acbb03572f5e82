package dev.ferry.magics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses a magic's argument text against its {@link MagicSpec}. Accepted forms:
 * <ul>
 *   <li>{@code name=value} for any argument (values may be quoted);</li>
 *   <li>{@code --name value}, {@code --name=value}, {@code -x value}, {@code -xvalue} for options;</li>
 *   <li>{@code -x}, {@code --name} for flags (several short flags may be bundled: {@code -ab});</li>
 *   <li>bare values for positional arguments, in declaration order;</li>
 *   <li>{@code --} ends options; with a rest-accepting spec, the first token that is not an option,
 *       a declared {@code name=} or a pending positional starts the rest, kept verbatim.</li>
 * </ul>
 * Every problem is a {@link MagicException} naming the bad token and the fix.
 */
public final class ArgParser {
    private static final Pattern KEY_PREFIX = Pattern.compile("([A-Za-z_][A-Za-z0-9_-]*)=");

    private final MagicSpec spec;
    private final boolean cell;
    private final String display;
    private final List<ArgSpec> args;
    private final String line;
    private final ArgTokenizer tokens;
    private final Map<String, Object> values = new LinkedHashMap<>();
    private final Map<String, String> givenAs = new LinkedHashMap<>();
    private final List<ArgSpec> positionals = new ArrayList<>();
    private boolean optionsEnded;

    private ArgParser(MagicSpec spec, String line, boolean cell) {
        this.spec = spec;
        this.cell = cell;
        this.display = spec.displayName(cell);
        this.args = spec.args(cell);
        this.line = line;
        this.tokens = new ArgTokenizer(line);
        for (ArgSpec a : args) {
            if (a.isPositional()) {
                positionals.add(a);
            }
        }
    }

    /**
     * Parses {@code line} (the text after the magic's name; null counts as empty) as the magic's only form:
     * the cell form for a CELL magic, else the line form.
     */
    public static ParsedArgs parse(MagicSpec spec, String line) {
        return parse(spec, line, spec.kind() == MagicSpec.Kind.CELL);
    }

    /**
     * Parses {@code line} for the cell form ({@code %%name}, {@code cell}) or the line form ({@code %name}): errors
     * name that form, and arguments of the other form only are refused. Every bad argument is reported, not just the
     * first.
     */
    public static ParsedArgs parse(MagicSpec spec, String line, boolean cell) {
        ArgParser p = new ArgParser(spec, line == null ? "" : line, cell);
        return p.run();
    }

    private ParsedArgs run() {
        List<String> errors = new ArrayList<>();
        String rest = "";
        int start;
        while (true) {
            try {
                if ((start = tokens.peekStart()) < 0) {
                    break;
                }
                if (spec.acceptsRest() && startsRest(start)) {
                    rest = line.substring(start).strip();
                    break;
                }
            } catch (MagicException e) { // the tokenizer cannot go on (an unterminated quote)
                errors.add(prefixed(e.getMessage()));
                break;
            }
            try {
                ArgTokenizer.Token t = tokens.next();
                String raw = raw(t);
                if (!optionsEnded && raw.equals("--")) {
                    optionsEnded = true;
                } else if (!optionsEnded && looksLikeOption(raw)) {
                    option(t);
                } else if (!optionsEnded && t.key() != null) {
                    keyword(t);
                } else {
                    positional(t);
                }
            } catch (MagicException e) {
                errors.add(prefixed(e.getMessage()));
            }
        }
        for (ArgSpec a : args) {
            if (a.isRequired() && !values.containsKey(a.name()) && errors.isEmpty()) {
                errors.add("missing required argument '" + a.name() + "' for " + display
                    + describe(a) + "; usage: " + Help.usage(spec) + ", e.g. " + display + " "
                    + Values.example(a));
            }
        }
        if (errors.size() == 1) {
            throw new MagicException(errors.get(0));
        }
        if (!errors.isEmpty()) {
            StringBuilder b = new StringBuilder(display + ": " + errors.size() + " bad arguments:");
            String prefix = display + ": ";
            for (String e : errors) {
                b.append("\n  ").append(e.startsWith(prefix) ? e.substring(prefix.length()) : e);
            }
            throw new MagicException(b.toString());
        }
        return new ParsedArgs(spec, values, rest);
    }

    private String prefixed(String message) {
        String prefix = display + ": ";
        return message.startsWith(prefix) || message.contains(" for " + display) ? message : prefix + message;
    }

    private java.util.Optional<ArgSpec> arg(String name) {
        return args.stream().filter(a -> a.name().equals(name)).findFirst();
    }

    /** An argument of the other form only (e.g. a line-only command word given to the cell form), or null. */
    private ArgSpec otherForm(String name) {
        ArgSpec a = spec.arg(name).orElse(null);
        return a != null && !a.usableIn(cell) ? a : null;
    }

    private MagicException otherFormOnly(ArgSpec a, String raw) {
        String other = spec.displayName(!cell);
        return new MagicException(display + ": '" + raw + "' is for the " + (cell ? "line" : "cell") + " form " + other
            + " only" + (a.help().isEmpty() ? "" : " (" + a.help() + ")") + ": write " + other + " " + raw
            + (cell ? " on a line of its own" : " as the first line of a cell")
            + (args.isEmpty() ? "" : ". Valid for " + display + ": " + validList()));
    }

    private boolean startsRest(int start) {
        if (optionsEnded) {
            return nextPositional() == null;
        }
        if (looksLikeOption(line.substring(start)) || line.startsWith("--", start)
            && (start + 2 == line.length() || Character.isWhitespace(line.charAt(start + 2)))) {
            return false;
        }
        Matcher m = KEY_PREFIX.matcher(line);
        m.region(start, line.length());
        if (m.lookingAt() && arg(m.group(1)).isPresent()) {
            return false;
        }
        return nextPositional() == null;
    }

    private static boolean looksLikeOption(String raw) {
        if (raw.length() < 2 || raw.charAt(0) != '-') {
            return false;
        }
        char c = raw.charAt(1);
        return Character.isLetter(c) || (c == '-' && raw.length() > 2 && Character.isLetter(raw.charAt(2)));
    }

    private void option(ArgTokenizer.Token t) {
        String text = t.text();
        if (text.startsWith("--")) {
            String body = text.substring(2);
            int eq = body.indexOf('=');
            String name = eq < 0 ? body : body.substring(0, eq);
            ArgSpec arg = arg(name).orElseThrow(() -> unknown("option", "--" + name, name));
            if (arg.type() == ArgSpec.Type.FLAG) {
                if (eq >= 0) {
                    throw flagWithValue(arg, raw(t));
                }
                set(arg, Boolean.TRUE, raw(t));
            } else {
                optionValue(arg, eq < 0 ? null : body.substring(eq + 1), raw(t), "--" + name);
            }
            return;
        }
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            ArgSpec arg = byShort(c);
            if (arg == null) {
                throw unknown("option", i == 1 ? raw(t) : "-" + c, String.valueOf(c));
            }
            if (arg.type() != ArgSpec.Type.FLAG) {
                String attached = text.substring(i + 1);
                if (attached.startsWith("=")) {
                    attached = attached.substring(1);
                }
                optionValue(arg, attached.isEmpty() ? null : attached, raw(t), "-" + c);
                return;
            }
            if (i + 1 < text.length() && byShort(text.charAt(i + 1)) == null) {
                throw flagWithValue(arg, raw(t));
            }
            set(arg, Boolean.TRUE, i == 1 ? raw(t) : "-" + c);
        }
    }

    private void optionValue(ArgSpec arg, String attached, String raw, String option) {
        if (attached != null) {
            String form = option.startsWith("--") ? option + "=" : option + " ";
            set(arg, Values.convert(arg, attached, raw, form), raw);
            return;
        }
        ArgTokenizer.Token v = tokens.next();
        if (v == null) {
            throw new MagicException("option " + raw + " (" + arg.name() + ") needs a value" + describe(arg)
                + ", e.g. " + raw + " " + Values.exampleValue(arg));
        }
        String shown = raw + " " + raw(v);
        set(arg, Values.convert(arg, v.text(), shown, option + " "), shown);
    }

    private void keyword(ArgTokenizer.Token t) {
        ArgSpec other = otherForm(t.key());
        if (other != null) {
            throw otherFormOnly(other, raw(t));
        }
        ArgSpec arg = arg(t.key()).orElseThrow(() -> unknown("argument", t.key(), t.key()));
        String raw = raw(t);
        if (arg.type() == ArgSpec.Type.FLAG) {
            throw flagWithValue(arg, raw);
        }
        if (t.value().isEmpty() && !t.valueQuoted()) {
            throw new MagicException(raw + " has no value" + describe(arg) + "; write e.g. " + Values.example(arg)
                + " (use " + arg.name() + "=\"\" for an empty value)");
        }
        set(arg, Values.convert(arg, t.value(), raw, arg.name() + "="), raw);
    }

    private void positional(ArgTokenizer.Token t) {
        ArgSpec arg = nextPositional();
        String raw = raw(t);
        if (arg != null) {
            set(arg, Values.convert(arg, t.text(), raw, ""), raw);
            return;
        }
        ArgSpec otherPositional = spec.args().stream().filter(a -> a.isPositional() && !a.usableIn(cell))
            .findFirst().orElse(null); // what a bare word fills in the other form
        if (otherPositional != null && positionals.isEmpty() && (otherPositional.allowedValues().isEmpty()
            || otherPositional.allowedValues().contains(t.text()))) {
            throw otherFormOnly(otherPositional, raw);
        }
        ArgSpec named = arg(t.text()).orElse(null);
        if (named != null && !t.quoted() && !named.isPositional()) {
            throw new MagicException("'" + raw + "' needs " + (named.type() == ArgSpec.Type.FLAG
                ? "dashes: it is a flag; write " + Values.example(named)
                : "a value; write e.g. " + Values.example(named)));
        }
        if (args.isEmpty()) {
            throw new MagicException("unexpected argument '" + raw + "' for " + display
                + ": it takes no arguments" + (spec.acceptsRest() ? "" : "; remove it"));
        }
        if (positionals.isEmpty()) {
            String close = t.quoted() ? null : Suggest.closest(t.text(), names());
            throw new MagicException("unexpected argument '" + raw + "' for " + display
                + ": it takes no positional arguments; write name=value"
                + (close == null ? "." : "; did you mean '" + close + "=...'?") + " Valid: " + validList());
        }
        throw new MagicException("unexpected extra argument '" + raw + "' for " + display + ": it takes "
            + positionals.size() + " positional argument" + (positionals.size() == 1 ? "" : "s") + " ("
            + String.join(", ", positionals.stream().map(ArgSpec::name).toList())
            + "); quote a value that contains spaces, e.g. \"my file.txt\". Usage: " + Help.usage(spec));
    }

    private ArgSpec nextPositional() {
        for (ArgSpec a : positionals) {
            if (!values.containsKey(a.name())) {
                return a;
            }
        }
        return null;
    }

    private void set(ArgSpec arg, Object value, String raw) {
        String before = givenAs.putIfAbsent(arg.name(), raw);
        if (before != null) {
            throw new MagicException(arg.name() + " given twice for " + display + " (" + before
                + ", then " + raw + "); give it once");
        }
        values.put(arg.name(), value);
    }

    private ArgSpec byShort(char c) {
        for (ArgSpec a : args) {
            if (a.shortName() == c) {
                return a;
            }
        }
        return null;
    }

    private MagicException flagWithValue(ArgSpec arg, String raw) {
        return new MagicException(raw + ": " + arg.name() + " is a flag and takes no value; write "
            + Values.example(arg) + " to turn it on, or leave it out");
    }

    private MagicException unknown(String what, String shown, String name) {
        String close = Suggest.closest(name, names());
        if (close == null && name.length() == 1) {
            for (ArgSpec a : args) {
                if (a.name().startsWith(name)) {
                    close = a.name();
                    break;
                }
            }
        }
        String hint = "";
        if (close != null) {
            ArgSpec a = arg(close).orElseThrow();
            hint = a.type() == ArgSpec.Type.FLAG ? "--" + close : what.equals("option") && a.shortName() != '\0'
                ? "-" + a.shortName() : close;
        }
        return new MagicException("unknown " + what + " '" + shown + "' for " + display
            + (close == null ? "." : "; did you mean '" + hint + "'?") + " Valid: " + validList()
            + (spec.acceptsRest() && shown.startsWith("-") ? " (if the " + spec.restName()
            + " starts with -, put -- before it)" : ""));
    }

    private List<String> names() {
        return args.stream().map(ArgSpec::name).toList();
    }

    private String validList() {
        if (args.isEmpty()) {
            return "(none: " + display + " takes no arguments)";
        }
        List<String> out = new ArrayList<>();
        for (ArgSpec a : args) {
            if (a.type() == ArgSpec.Type.FLAG) {
                out.add(a.shortName() != '\0' ? "-" + a.shortName() + "/--" + a.name() : "--" + a.name());
            } else if (a.shortName() != '\0') {
                out.add(a.name() + " (-" + a.shortName() + ")");
            } else {
                out.add(a.name());
            }
        }
        return String.join(", ", out);
    }

    private static String describe(ArgSpec arg) {
        return arg.help().isEmpty() ? "" : " (" + arg.help() + ")";
    }

    private String raw(ArgTokenizer.Token t) {
        return line.substring(t.start(), t.end());
    }
}

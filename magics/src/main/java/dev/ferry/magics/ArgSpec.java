package dev.ferry.magics;

import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One declared argument of a magic, as data. Immutable: every {@code with}-style call returns a copy.
 *
 * <pre>{@code
 * ArgSpec.keyword("memory", ArgSpec.Type.INT).help("memory limit in MiB").example("32768")
 * ArgSpec.keyword("engine", ArgSpec.Type.STRING).allowed("process", "docker").defaultValue("process")
 * ArgSpec.flag("append").shortName('a').help("append instead of overwriting")
 * ArgSpec.positional("path", ArgSpec.Type.STRING).required()
 * }</pre>
 */
public final class ArgSpec {

    /** Value types. */
    public enum Type {
        /** Any text. */
        STRING,
        /** A 32-bit whole number. */
        INT,
        /** A 64-bit whole number. */
        LONG,
        /** A decimal number. */
        DOUBLE,
        /** {@code true/false}, also {@code yes/no}, {@code on/off}, {@code 1/0}. */
        BOOL,
        /** Present or absent, given as {@code -x} or {@code --name}; takes no value. */
        FLAG,
        /** Comma-separated items: {@code a,b,c}. */
        LIST,
        /** Comma-separated pairs: {@code K=V,K=V}. */
        KEY_VALUES
    }

    static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private final String name;
    private final Type type;
    private final boolean positional;
    private final boolean required;
    private final char shortName;
    private final String defaultText;
    private final Object defaultValue;
    private final String help;
    private final String example;
    private final List<String> allowed;
    private final Double min;
    private final Double max;
    /** Where the argument may be given: null in both forms, TRUE in the cell form only, FALSE in the line form only. */
    private final Boolean cellForm;

    private ArgSpec(String name, Type type, boolean positional, boolean required, char shortName,
                    String defaultText, Object defaultValue, String help, String example, List<String> allowed,
                    Double min, Double max) {
        this(name, type, positional, required, shortName, defaultText, defaultValue, help, example, allowed, min, max,
            null);
    }

    private ArgSpec(String name, Type type, boolean positional, boolean required, char shortName,
                    String defaultText, Object defaultValue, String help, String example, List<String> allowed,
                    Double min, Double max, Boolean cellForm) {
        this.name = name;
        this.type = type;
        this.positional = positional;
        this.required = required;
        this.shortName = shortName;
        this.defaultText = defaultText;
        this.defaultValue = defaultValue;
        this.help = help;
        this.example = example;
        this.allowed = allowed;
        this.min = min;
        this.max = max;
        this.cellForm = cellForm;
    }

    /** An argument given as {@code name=value} (or {@code --name value}, or {@code -x value} with a short name). */
    public static ArgSpec keyword(String name, Type type) {
        Objects.requireNonNull(type, "type");
        if (type == Type.FLAG) {
            return flag(name);
        }
        return new ArgSpec(checkName(name), type, false, false, '\0', null, null, "", null, List.of(), null, null);
    }

    /** An argument given by position, in declaration order; may also be given as {@code name=value}. */
    public static ArgSpec positional(String name, Type type) {
        Objects.requireNonNull(type, "type");
        if (type == Type.FLAG) {
            throw new IllegalArgumentException("a FLAG cannot be positional: " + name);
        }
        return new ArgSpec(checkName(name), type, true, false, '\0', null, null, "", null, List.of(), null, null);
    }

    /** A flag: {@code --name} (and {@code -x} with {@link #shortName}); false unless given. */
    public static ArgSpec flag(String name) {
        return new ArgSpec(checkName(name), Type.FLAG, false, false, '\0', null, Boolean.FALSE, "", null, List.of(),
            null, null);
    }

    /** A one-letter option {@code -c}: a flag, or an option taking the next token as its value. */
    public ArgSpec shortName(char c) {
        if (!Character.isLetter(c)) {
            throw new IllegalArgumentException("short name must be a letter: '" + c + "'");
        }
        return new ArgSpec(name, type, positional, required, c, defaultText, defaultValue, help, example, allowed,
            min, max, cellForm);
    }

    /** The value used when the argument is not given, written as the user would write it. */
    public ArgSpec defaultValue(String text) {
        if (type == Type.FLAG) {
            throw new IllegalArgumentException("a FLAG has no default: " + name);
        }
        ArgSpec probe = new ArgSpec(name, type, positional, false, shortName, null, null, help, example, allowed,
            min, max, cellForm);
        Object value;
        try {
            value = Values.convert(probe, Objects.requireNonNull(text, "text"), name + "=" + text);
        } catch (MagicException e) {
            throw new IllegalArgumentException("bad default for " + name + ": " + e.getMessage(), e);
        }
        return new ArgSpec(name, type, positional, required, shortName, text, value, help, example, allowed, min,
            max, cellForm);
    }

    /** Marks the argument as required (it then has no default). */
    public ArgSpec required() {
        if (type == Type.FLAG) {
            throw new IllegalArgumentException("a FLAG cannot be required: " + name);
        }
        return new ArgSpec(name, type, positional, true, shortName, null, null, help, example, allowed, min, max,
            cellForm);
    }

    /** One line of help, e.g. {@code "memory limit in MiB"}. */
    public ArgSpec help(String text) {
        return new ArgSpec(name, type, positional, required, shortName, defaultText, defaultValue,
            Objects.requireNonNull(text, "text"), example, allowed, min, max, cellForm);
    }

    /** An example value used in help and error messages, e.g. {@code "32768"}. */
    public ArgSpec example(String value) {
        return new ArgSpec(name, type, positional, required, shortName, defaultText, defaultValue, help,
            Objects.requireNonNull(value, "value"), allowed, min, max, cellForm);
    }

    /** Restricts a STRING (or each LIST item) to these values. */
    public ArgSpec allowed(String... values) {
        if (type != Type.STRING && type != Type.LIST) {
            throw new IllegalArgumentException("allowed values apply to STRING or LIST, not " + type + ": " + name);
        }
        if (values.length == 0) {
            throw new IllegalArgumentException("no allowed values given for " + name);
        }
        return new ArgSpec(name, type, positional, required, shortName, defaultText, defaultValue, help, example,
            List.of(values), min, max, cellForm);
    }

    /** Restricts an INT, LONG or DOUBLE to {@code [min, max]}. */
    public ArgSpec range(double min, double max) {
        if (type != Type.INT && type != Type.LONG && type != Type.DOUBLE) {
            throw new IllegalArgumentException("a range applies to numbers, not " + type + ": " + name);
        }
        if (min > max) {
            throw new IllegalArgumentException("empty range for " + name);
        }
        return new ArgSpec(name, type, positional, required, shortName, defaultText, defaultValue, help, example,
            allowed, min, max, cellForm);
    }

    /** Only in the line form ({@code %name ...}) of a magic of kind BOTH: the cell form refuses it. */
    public ArgSpec lineOnly() {
        return new ArgSpec(name, type, positional, required, shortName, defaultText, defaultValue, help, example,
            allowed, min, max, Boolean.FALSE);
    }

    /** Only in the cell form ({@code %%name ...}) of a magic of kind BOTH: the line form refuses it. */
    public ArgSpec cellOnly() {
        return new ArgSpec(name, type, positional, required, shortName, defaultText, defaultValue, help, example,
            allowed, min, max, Boolean.TRUE);
    }

    /** Whether the argument may be given in the cell form ({@code cell}) or the line form. */
    public boolean usableIn(boolean cell) {
        return cellForm == null || cellForm == cell;
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public boolean isPositional() {
        return positional;
    }

    public boolean isRequired() {
        return required;
    }

    /** The short option letter, or {@code '\0'} when there is none. */
    public char shortName() {
        return shortName;
    }

    /** The typed default (Integer, List, Map, ...), or null when there is none; FALSE for a flag. */
    public Object defaultValue() {
        return defaultValue;
    }

    /** The default as written in the declaration, or null. */
    public String defaultText() {
        return defaultText;
    }

    public String help() {
        return help;
    }

    /** The declared example value, or null. */
    public String example() {
        return example;
    }

    /** Allowed values; empty when any value is accepted. */
    public List<String> allowedValues() {
        return allowed;
    }

    /** Lower bound of a numeric range, or null. */
    public Double min() {
        return min;
    }

    /** Upper bound of a numeric range, or null. */
    public Double max() {
        return max;
    }

    @Override
    public String toString() {
        return "ArgSpec[" + name + " " + type + (positional ? " positional" : "") + (required ? " required" : "")
            + "]";
    }

    private static String checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("bad argument name: '" + name + "'");
        }
        return name;
    }
}

package dev.ferry.magics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed argument values of one magic invocation. Getters fall back to the declared default when the
 * argument was not given. Asking for an undeclared name, or with the wrong type, is a programming error
 * ({@link IllegalArgumentException}); asking for an absent value with no default is an
 * {@link IllegalStateException} (check {@link #has} first).
 */
public final class ParsedArgs {
    private final MagicSpec spec;
    private final Map<String, Object> values;
    private final String rest;

    ParsedArgs(MagicSpec spec, Map<String, Object> values, String rest) {
        this.spec = spec;
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
        this.rest = rest;
    }

    public MagicSpec spec() {
        return spec;
    }

    /** Whether the argument was given explicitly (defaults do not count). */
    public boolean has(String name) {
        declared(name);
        return values.containsKey(name);
    }

    /** The text of a STRING argument (any other type as text), its default, or null. */
    public String getString(String name) {
        Object v = valueOrDefault(declared(name));
        return v == null ? null : String.valueOf(v);
    }

    public int getInt(String name) {
        return ((Number) required(name, ArgSpec.Type.INT)).intValue();
    }

    /** A LONG, or an INT widened. */
    public long getLong(String name) {
        return ((Number) required(name, ArgSpec.Type.LONG, ArgSpec.Type.INT)).longValue();
    }

    /** A DOUBLE, or an INT/LONG widened. */
    public double getDouble(String name) {
        return ((Number) required(name, ArgSpec.Type.DOUBLE, ArgSpec.Type.INT, ArgSpec.Type.LONG)).doubleValue();
    }

    /** A BOOL, or whether a FLAG was given. */
    public boolean getBool(String name) {
        return (Boolean) required(name, ArgSpec.Type.BOOL, ArgSpec.Type.FLAG);
    }

    /** A LIST's items; empty when absent with no default. */
    @SuppressWarnings("unchecked")
    public List<String> getList(String name) {
        Object v = valueOrDefault(checkType(declared(name), ArgSpec.Type.LIST));
        return v == null ? List.of() : (List<String>) v;
    }

    /** A KEY_VALUES argument's pairs in the order given; empty when absent with no default. */
    @SuppressWarnings("unchecked")
    public Map<String, String> getMap(String name) {
        Object v = valueOrDefault(checkType(declared(name), ArgSpec.Type.KEY_VALUES));
        return v == null ? Map.of() : (Map<String, String>) v;
    }

    /** The free trailing text (verbatim, trimmed); empty when none. */
    public String rest() {
        return rest;
    }

    @Override
    public String toString() {
        return spec.displayName() + values + (rest.isEmpty() ? "" : " rest=" + rest);
    }

    private Object required(String name, ArgSpec.Type... types) {
        ArgSpec arg = checkType(declared(name), types);
        Object v = valueOrDefault(arg);
        if (v == null) {
            throw new IllegalStateException("argument '" + name + "' of " + spec.displayName()
                + " was not given and has no default; check has(\"" + name + "\") first");
        }
        return v;
    }

    private Object valueOrDefault(ArgSpec arg) {
        Object v = values.get(arg.name());
        return v != null ? v : arg.defaultValue();
    }

    private ArgSpec declared(String name) {
        return spec.arg(name).orElseThrow(() -> new IllegalArgumentException(
            spec.displayName() + " declares no argument '" + name + "'"));
    }

    private static ArgSpec checkType(ArgSpec arg, ArgSpec.Type... types) {
        for (ArgSpec.Type t : types) {
            if (arg.type() == t) {
                return arg;
            }
        }
        throw new IllegalArgumentException("argument '" + arg.name() + "' is " + arg.type() + ", not "
            + types[0]);
    }
}

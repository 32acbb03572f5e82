package dev.ferry.magics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Converts argument text to typed values, with errors that say what was expected and show an example. */
final class Values {
    private static final Pattern WHOLE = Pattern.compile("[-+]?[0-9]+");
    private static final Pattern DECIMAL = Pattern.compile("[-+]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][-+]?[0-9]+)?");

    private Values() {
    }

    /** Converts {@code text} for {@code arg}; {@code token} is how the user wrote it, quoted in errors. */
    static Object convert(ArgSpec arg, String text, String token) {
        return convert(arg, text, token, arg.isPositional() ? "" : arg.name() + "=");
    }

    /** As above; {@code form} is what precedes the value in the example, e.g. {@code "-n "} or {@code "name="}. */
    static Object convert(ArgSpec arg, String text, String token, String form) {
        try {
            return convertChecked(arg, text, token);
        } catch (MagicException e) {
            String standard = ", e.g. " + example(arg);
            String m = e.getMessage();
            if (!form.equals(arg.isPositional() ? "" : arg.name() + "=") && m.endsWith(standard)) {
                throw new MagicException(m.substring(0, m.length() - standard.length()) + ", e.g. " + form
                    + quoteIfNeeded(exampleValue(arg)));
            }
            throw e;
        }
    }

    private static Object convertChecked(ArgSpec arg, String text, String token) {
        switch (arg.type()) {
            case STRING:
                checkAllowed(arg, text, token);
                return text;
            case INT:
            case LONG:
                return whole(arg, text.trim(), token);
            case DOUBLE:
                return decimal(arg, text.trim(), token);
            case BOOL:
                return bool(arg, text.trim(), token);
            case LIST:
                return list(arg, text, token);
            case KEY_VALUES:
                return keyValues(arg, text, token);
            case FLAG:
            default:
                throw new IllegalStateException("no conversion for " + arg.type());
        }
    }

    private static Object whole(ArgSpec arg, String text, String token) {
        if (!WHOLE.matcher(text).matches()) {
            throw bad(arg, token, "expected a whole number");
        }
        boolean isInt = arg.type() == ArgSpec.Type.INT;
        long value;
        try {
            value = isInt ? Integer.parseInt(text) : Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw bad(arg, token, "the number is too large (at most "
                + (isInt ? Integer.MAX_VALUE : Long.MAX_VALUE) + ")");
        }
        checkRange(arg, value, token);
        return isInt ? (Object) (int) value : (Object) value;
    }

    private static Object decimal(ArgSpec arg, String text, String token) {
        if (!DECIMAL.matcher(text).matches()) {
            throw bad(arg, token, "expected a number");
        }
        double value = Double.parseDouble(text);
        if (Double.isInfinite(value)) {
            throw bad(arg, token, "the number is too large");
        }
        checkRange(arg, value, token);
        return value;
    }

    private static Object bool(ArgSpec arg, String text, String token) {
        switch (text.toLowerCase(java.util.Locale.ROOT)) {
            case "true": case "yes": case "on": case "1":
                return Boolean.TRUE;
            case "false": case "no": case "off": case "0":
                return Boolean.FALSE;
            default:
                throw bad(arg, token, "expected true or false");
        }
    }

    private static List<String> list(ArgSpec arg, String text, String token) {
        if (text.isEmpty()) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String item : splitCommas(text)) {
            String trimmed = item.trim();
            if (trimmed.isEmpty()) {
                throw bad(arg, token, "empty item in the list (two commas in a row, or a comma at an end)");
            }
            checkAllowed(arg, trimmed, token);
            items.add(trimmed);
        }
        return Collections.unmodifiableList(items);
    }

    private static Map<String, String> keyValues(ArgSpec arg, String text, String token) {
        Map<String, String> map = new LinkedHashMap<>();
        if (text.isEmpty()) {
            return Collections.unmodifiableMap(map);
        }
        for (String item : splitCommas(text)) {
            int eq = item.indexOf('=');
            if (item.trim().isEmpty()) {
                throw bad(arg, token, "empty item in the list (two commas in a row, or a comma at an end)");
            }
            if (eq < 0) {
                throw bad(arg, token, "'" + item.trim() + "' is not a KEY=VALUE pair");
            }
            String key = item.substring(0, eq).trim();
            if (key.isEmpty()) {
                throw bad(arg, token, "'" + item.trim() + "' has no key before '='");
            }
            if (map.containsKey(key)) {
                throw new MagicException(token + ": key '" + key + "' appears twice in " + arg.name()
                    + "; give each key once, e.g. " + example(arg));
            }
            map.put(key, item.substring(eq + 1));
        }
        return Collections.unmodifiableMap(map);
    }

    /** Splits on commas, honouring {@code \,} as a literal comma. */
    static List<String> splitCommas(String text) {
        List<String> parts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == ',') {
                cur.append(',');
                i++;
            } else if (c == ',') {
                parts.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        parts.add(cur.toString());
        return parts;
    }

    private static void checkAllowed(ArgSpec arg, String value, String token) {
        if (arg.allowedValues().isEmpty() || arg.allowedValues().contains(value)) {
            return;
        }
        String close = Suggest.closest(value, arg.allowedValues());
        throw new MagicException(token + ": '" + value + "' is not allowed for " + arg.name() + "; use one of: "
            + String.join(", ", arg.allowedValues())
            + (close == null ? "" : " (did you mean '" + close + "'?)"));
    }

    private static void checkRange(ArgSpec arg, double value, String token) {
        boolean low = arg.min() != null && value < arg.min();
        boolean high = arg.max() != null && value > arg.max();
        if (!low && !high) {
            return;
        }
        String bounds = arg.min() != null && arg.max() != null
            ? "between " + num(arg, arg.min()) + " and " + num(arg, arg.max())
            : low ? "at least " + num(arg, arg.min()) : "at most " + num(arg, arg.max());
        throw new MagicException(token + ": " + arg.name() + " must be " + bounds + about(arg) + ", e.g. "
            + example(arg));
    }

    private static String num(ArgSpec arg, double v) {
        return arg.type() == ArgSpec.Type.DOUBLE ? String.valueOf(v) : String.valueOf((long) v);
    }

    private static MagicException bad(ArgSpec arg, String token, String problem) {
        return new MagicException(token + ": " + problem + " for " + arg.name() + about(arg) + ", e.g. "
            + example(arg));
    }

    private static String about(ArgSpec arg) {
        return arg.help().isEmpty() ? "" : " (" + arg.help() + ")";
    }

    /** How to write this argument correctly, e.g. {@code memory=32768}, {@code --append}, {@code out.txt}. */
    static String example(ArgSpec arg) {
        if (arg.type() == ArgSpec.Type.FLAG) {
            return arg.shortName() != '\0' ? "-" + arg.shortName() : "--" + arg.name();
        }
        String v = quoteIfNeeded(exampleValue(arg));
        return arg.isPositional() ? v : arg.name() + "=" + v;
    }

    private static String quoteIfNeeded(String v) {
        if (v.isEmpty() || v.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'')) {
            return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        return v;
    }

    static String exampleValue(ArgSpec arg) {
        if (arg.example() != null) {
            return arg.example();
        }
        if (!arg.allowedValues().isEmpty()) {
            return arg.allowedValues().get(0);
        }
        if (arg.defaultText() != null && !arg.defaultText().isEmpty()) {
            return arg.defaultText();
        }
        switch (arg.type()) {
            case INT: case LONG: return arg.min() != null ? typical(arg) : "1";
            case DOUBLE: return arg.min() != null ? typical(arg) : "0.5";
            case BOOL: return "true";
            case LIST: return "a,b";
            case KEY_VALUES: return "KEY=VALUE,KEY2=VALUE2";
            default: return arg.isPositional() ? arg.name() : "value";
        }
    }

    /**
     * A value to show for a numeric range: 1 when it is in the range, else the smallest power of ten above the
     * minimum that is in it, else the minimum (a bound such as 0.01 reads as a suggestion, and rarely is one).
     */
    private static String typical(ArgSpec arg) {
        double min = arg.min();
        double max = arg.max() == null ? Double.MAX_VALUE : arg.max();
        double v = min;
        if (min <= 1 && 1 <= max) {
            v = 1;
        } else if (min > 1) {
            double p = Math.pow(10, Math.floor(Math.log10(min)) + 1);
            v = p <= max ? p : min;
        }
        if (arg.type() != ArgSpec.Type.DOUBLE || v == Math.rint(v)) {
            return String.valueOf((long) Math.ceil(v));
        }
        return String.valueOf(v);
    }

    /** Placeholder for usage lines, e.g. {@code INT} or {@code process|docker}. */
    static String placeholder(ArgSpec arg) {
        if (!arg.allowedValues().isEmpty() && arg.type() == ArgSpec.Type.STRING) {
            return String.join("|", arg.allowedValues());
        }
        switch (arg.type()) {
            case LIST: return "A,B,...";
            case KEY_VALUES: return "K=V,...";
            default: return arg.type().name();
        }
    }
}

package dev.ferry.server.web;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * JSON to the Java values a function's parameters declare (by their source type: {@code int}, {@code
 * java.util.List<String>}), and a function's decoded value back to JSON. Conversions are strict: a field of
 * the wrong JSON type is a {@link BadRequest} naming the field and the type it needs.
 */
final class JsonValues {
    private JsonValues() {}

    /** A request the endpoint cannot take: answered 400 with the message. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** Converts a JSON value to the parameter type {@code type}; {@code where} names it in errors ("field 'x'"). */
    static Object fromJson(JsonElement v, String type, String where) {
        String t = type.strip();
        String base = erase(t);
        if (v == null || v.isJsonNull()) {
            if (isPrimitive(base)) {
                throw new BadRequest(where + " is null: it needs " + describe(t));
            }
            return null;
        }
        switch (base) {
            case "int", "Integer" -> {
                return integral(v, t, where, Integer.MIN_VALUE, Integer.MAX_VALUE).intValue();
            }
            case "long", "Long" -> {
                return integral(v, t, where, Long.MIN_VALUE, Long.MAX_VALUE).longValue();
            }
            case "short", "Short" -> {
                return integral(v, t, where, Short.MIN_VALUE, Short.MAX_VALUE).shortValue();
            }
            case "byte", "Byte" -> {
                return integral(v, t, where, Byte.MIN_VALUE, Byte.MAX_VALUE).byteValue();
            }
            case "double", "Double", "float", "Float", "Number" -> {
                if (!(v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber())) {
                    throw wrong(v, t, where);
                }
                double d = v.getAsDouble();
                return base.startsWith("f") || base.startsWith("F") ? (Object) (float) d : (Object) d;
            }
            case "boolean", "Boolean" -> {
                if (!(v.isJsonPrimitive() && v.getAsJsonPrimitive().isBoolean())) {
                    throw wrong(v, t, where);
                }
                return v.getAsBoolean();
            }
            case "String", "CharSequence" -> {
                if (!(v.isJsonPrimitive() && v.getAsJsonPrimitive().isString())) {
                    throw wrong(v, t, where);
                }
                return v.getAsString();
            }
            case "List", "ArrayList", "Collection", "Iterable" -> {
                if (!v.isJsonArray()) {
                    throw wrong(v, t, where);
                }
                String elem = typeArgs(t).isEmpty() ? "Object" : typeArgs(t).get(0);
                List<Object> out = new ArrayList<>();
                int i = 0;
                for (JsonElement e : v.getAsJsonArray()) {
                    out.add(fromJson(e, elem, where + "[" + i++ + "]"));
                }
                return out;
            }
            case "Map", "HashMap", "LinkedHashMap" -> {
                if (!v.isJsonObject()) {
                    throw wrong(v, t, where);
                }
                List<String> args = typeArgs(t);
                if (!args.isEmpty() && !erase(args.get(0)).equals("String") && !erase(args.get(0)).equals("Object")) {
                    throw new BadRequest(where + ": a JSON object's keys are strings, the function takes " + t);
                }
                String valueType = args.size() == 2 ? args.get(1) : "Object";
                Map<String, Object> out = new LinkedHashMap<>();
                for (Map.Entry<String, JsonElement> e : v.getAsJsonObject().entrySet()) {
                    out.put(e.getKey(), fromJson(e.getValue(), valueType, where + "." + e.getKey()));
                }
                return out;
            }
            case "Object", "?" -> {
                return natural(v);
            }
            default -> {
                if (t.startsWith("?") || t.length() == 1) { // a type variable or a wildcard: whatever the JSON is
                    return natural(v);
                }
                throw new BadRequest(where + ": a parameter of type " + t + " cannot be read from JSON (web endpoints take"
                        + " numbers, strings, booleans, List and Map parameters); take a Map<String, Object> and build the "
                        + t + " in the function");
            }
        }
    }

    /** A request parameter (path or query: text) converted to the parameter type. */
    static Object fromText(String text, String type, String where) {
        String base = erase(type.strip());
        return switch (base) {
            case "String", "CharSequence", "Object" -> text;
            case "int", "Integer", "long", "Long", "short", "Short", "byte", "Byte", "double", "Double", "float", "Float",
                 "Number" -> {
                try {
                    yield fromJson(new JsonPrimitive(new BigDecimal(text.strip())), type, where);
                } catch (NumberFormatException e) {
                    throw new BadRequest(where + " is \"" + text + "\": it needs " + describe(type));
                }
            }
            case "boolean", "Boolean" -> {
                if (!text.equals("true") && !text.equals("false")) {
                    throw new BadRequest(where + " is \"" + text + "\": it needs " + describe(type) + " (true or false)");
                }
                yield Boolean.parseBoolean(text);
            }
            default -> throw new BadRequest(where + ": a parameter of type " + type + " cannot come from the URL; send it in"
                    + " a JSON body (POST) instead");
        };
    }

    private static BigDecimal integral(JsonElement v, String t, String where, long min, long max) {
        if (!(v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber())) {
            throw wrong(v, t, where);
        }
        BigDecimal d = v.getAsBigDecimal();
        if (d.stripTrailingZeros().scale() > 0) {
            throw new BadRequest(where + " is " + v + ": it needs " + describe(t) + " (a whole number)");
        }
        if (d.compareTo(BigDecimal.valueOf(min)) < 0 || d.compareTo(BigDecimal.valueOf(max)) > 0) {
            throw new BadRequest(where + " is " + v + ": out of range for " + describe(t) + " (" + min + " to " + max + ")");
        }
        return d;
    }

    private static BadRequest wrong(JsonElement v, String t, String where) {
        return new BadRequest(where + " is " + kind(v) + " " + shorten(v.toString()) + ": it needs " + describe(t));
    }

    /** "an int", "a String", "a List<Integer> (a JSON array)". */
    static String describe(String type) {
        String base = erase(type);
        String json = switch (base) {
            case "int", "Integer", "long", "Long", "short", "Short", "byte", "Byte" -> "a JSON whole number";
            case "double", "Double", "float", "Float", "Number" -> "a JSON number";
            case "boolean", "Boolean" -> "true or false";
            case "String", "CharSequence" -> "a JSON string";
            case "List", "ArrayList", "Collection", "Iterable" -> "a JSON array";
            case "Map", "HashMap", "LinkedHashMap" -> "a JSON object";
            default -> "a JSON value";
        };
        String article = "aeiouAEIOU".indexOf(type.strip().charAt(0)) >= 0 ? "an " : "a ";
        return article + type.strip() + " (" + json + ")";
    }

    private static String kind(JsonElement v) {
        if (v.isJsonArray()) {
            return "an array";
        }
        if (v.isJsonObject()) {
            return "an object";
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        return p.isString() ? "a string" : p.isNumber() ? "a number" : "a boolean";
    }

    private static String shorten(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }

    private static boolean isPrimitive(String base) {
        return switch (base) {
            case "int", "long", "short", "byte", "double", "float", "boolean", "char" -> true;
            default -> false;
        };
    }

    /** "java.util.List<String>" → "List"; "final int" → "int". */
    static String erase(String type) {
        String t = type.strip();
        int lt = t.indexOf('<');
        if (lt >= 0) {
            t = t.substring(0, lt).strip();
        }
        int dot = t.lastIndexOf('.');
        return dot >= 0 ? t.substring(dot + 1) : t;
    }

    /** The top-level type arguments: "Map<String, List<Integer>>" → ["String", "List<Integer>"]. */
    static List<String> typeArgs(String type) {
        int lt = type.indexOf('<');
        int gt = type.lastIndexOf('>');
        List<String> out = new ArrayList<>();
        if (lt < 0 || gt < lt) {
            return out;
        }
        String inner = type.substring(lt + 1, gt);
        int depth = 0;
        int start = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '<') {
                depth++;
            } else if (c == '>') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(clean(inner.substring(start, i)));
                start = i + 1;
            }
        }
        out.add(clean(inner.substring(start)));
        return out;
    }

    private static String clean(String arg) {
        String a = arg.strip();
        if (a.startsWith("? extends ")) {
            return a.substring("? extends ".length()).strip();
        }
        return a.startsWith("? super ") || a.equals("?") ? "Object" : a;
    }

    /** A JSON value as the codec's natural Java value: whole numbers as Integer (or Long), others as Double. */
    static Object natural(JsonElement v) {
        if (v == null || v.isJsonNull()) {
            return null;
        }
        if (v.isJsonArray()) {
            List<Object> out = new ArrayList<>();
            v.getAsJsonArray().forEach(e -> out.add(natural(e)));
            return out;
        }
        if (v.isJsonObject()) {
            Map<String, Object> out = new LinkedHashMap<>();
            v.getAsJsonObject().entrySet().forEach(e -> out.put(e.getKey(), natural(e.getValue())));
            return out;
        }
        JsonPrimitive p = v.getAsJsonPrimitive();
        if (p.isBoolean()) {
            return p.getAsBoolean();
        }
        if (p.isString()) {
            return p.getAsString();
        }
        BigDecimal d = p.getAsBigDecimal();
        if (d.stripTrailingZeros().scale() <= 0) {
            try {
                long l = d.longValueExact();
                return l == (int) l ? (Object) (int) l : (Object) l;
            } catch (ArithmeticException e) {
                return d.doubleValue();
            }
        }
        return d.doubleValue();
    }

    /** A decoded codec value as JSON: records arrive as maps, byte arrays as base64 strings, a Table as its text. */
    static JsonElement toJson(Object v) {
        if (v == null) {
            return JsonNull.INSTANCE;
        }
        if (v instanceof Boolean b) {
            return new JsonPrimitive(b);
        }
        if (v instanceof Number n) {
            if ((n instanceof Double d && (d.isNaN() || d.isInfinite())) || (n instanceof Float f && (f.isNaN() || f.isInfinite()))) {
                return new JsonPrimitive(n.toString()); // JSON has no NaN or Infinity
            }
            return new JsonPrimitive(n);
        }
        if (v instanceof String s) {
            return new JsonPrimitive(s);
        }
        if (v instanceof byte[] b) {
            return new JsonPrimitive(Base64.getEncoder().encodeToString(b));
        }
        if (v instanceof List<?> l) {
            JsonArray a = new JsonArray();
            l.forEach(e -> a.add(toJson(e)));
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            JsonObject o = new JsonObject();
            m.forEach((k, e) -> o.add(String.valueOf(k), toJson(e)));
            return o;
        }
        if (v instanceof Record r) {
            JsonObject o = new JsonObject();
            for (var c : r.getClass().getRecordComponents()) {
                try {
                    c.getAccessor().setAccessible(true);
                    o.add(c.getName(), toJson(c.getAccessor().invoke(r)));
                } catch (ReflectiveOperationException e) {
                    o.add(c.getName(), JsonNull.INSTANCE);
                }
            }
            return o;
        }
        return new JsonPrimitive(v.toString());
    }
}

package dev.ferry.remote.worker;

import java.util.Arrays;

/** text/plain of a cell's value: the object's own text, arrays spelled out, huge text cut with a note. */
final class Renderer {
    static final int MAX_CHARS = 100_000;

    private Renderer() {}

    /** The MIME bundle for a value; text/plain for now. */
    static com.google.gson.JsonObject bundle(Object value) {
        com.google.gson.JsonObject data = new com.google.gson.JsonObject();
        data.addProperty("text/plain", plain(value));
        return data;
    }

    static String plain(Object value) {
        String s;
        if (value == null) {
            s = "null";
        } else if (value instanceof Object[] a) {
            s = Arrays.deepToString(a);
        } else if (value.getClass().isArray()) {
            s = primitiveArray(value);
        } else {
            s = String.valueOf(value);
        }
        if (s.length() > MAX_CHARS) {
            s = s.substring(0, MAX_CHARS) + "\n… (output truncated: " + s.length() + " characters in all)";
        }
        return s;
    }

    private static String primitiveArray(Object a) {
        if (a instanceof int[] x) return Arrays.toString(x);
        if (a instanceof long[] x) return Arrays.toString(x);
        if (a instanceof double[] x) return Arrays.toString(x);
        if (a instanceof float[] x) return Arrays.toString(x);
        if (a instanceof byte[] x) return Arrays.toString(x);
        if (a instanceof short[] x) return Arrays.toString(x);
        if (a instanceof char[] x) return Arrays.toString(x);
        if (a instanceof boolean[] x) return Arrays.toString(x);
        return String.valueOf(a);
    }
}

package dev.ferry.storage;

import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value codec of Ferry's store (format version {@value #VERSION}); the format is documented in
 * {@code storage/docs/storage.md}. Every encoding starts with the version byte, then one value:
 *
 * <pre>
 * value  := tag payload
 * 0x00 null              0x01 false             0x02 true
 * 0x03 int    (4 bytes, big-endian)             0x04 long   (8 bytes, big-endian)
 * 0x05 double (8 bytes, IEEE 754, big-endian)   0x06 string (varint length, UTF-8 bytes)
 * 0x07 byte[] (varint length, bytes)            0x08 list   (varint count, values)
 * 0x09 map    (varint count, key value pairs, sorted by the keys' encoded bytes)
 * 0x0A record (string class name, varint count, (string component name, value) pairs in declaration order)
 * 0x0B float  (4 bytes, IEEE 754, big-endian)   0x0C short (2 bytes)   0x0D byte (1 byte)
 * 0x0E table  (varint length, an Arrow IPC stream of a dev.ferry.arrow.Table)
 * varint := unsigned LEB128 (7 bits a byte, low group first)
 * </pre>
 *
 * Maps are encoded canonically (entries sorted by their keys' encodings), so equal maps encode to equal
 * bytes whatever their iteration order; Dict keys are compared by their encoded bytes.
 */
public final class Codec {
    /** The format version written as the first byte of every encoding. */
    public static final int VERSION = 1;

    static final String SUPPORTED = "null, String, Boolean, Integer, Long, Double, Float, Short, Byte, byte[], "
            + "java.util.List and java.util.Map of these, records whose components are these, and Arrow Tables"
            + " (dev.ferry.arrow.Table)";
    private static final int MAX_DEPTH = 64;

    private static final int NULL = 0x00, FALSE = 0x01, TRUE = 0x02, INT = 0x03, LONG = 0x04, DOUBLE = 0x05,
            STRING = 0x06, BYTES = 0x07, LIST = 0x08, MAP = 0x09, RECORD = 0x0A, FLOAT = 0x0B, SHORT = 0x0C,
            BYTE = 0x0D, TABLE = 0x0E;

    private Codec() {
    }

    /**
     * Encodes a value.
     *
     * @throws IllegalArgumentException for a value (or a nested value) of an unsupported type, naming the
     *     type, where it sits in the value, and what is supported
     */
    public static byte[] encode(Object value) {
        Out out = new Out(64);
        out.write(VERSION);
        write(out, value, "value", 0);
        return out.toByteArray();
    }

    /** Decodes with the current thread's context class loader (for records). */
    public static Object decode(byte[] bytes) {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return decode(bytes, cl != null ? cl : Codec.class.getClassLoader());
    }

    /**
     * Decodes a value. A record comes back as an instance of its class when {@code loader} can load it and
     * its components still match; otherwise as a {@code Map} of component name to value.
     *
     * @throws IllegalArgumentException for bytes that are not a valid encoding of a known version
     */
    public static Object decode(byte[] bytes, ClassLoader loader) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("not a Ferry codec value: empty");
        }
        if (bytes[0] != VERSION) {
            throw new IllegalArgumentException("unsupported Ferry codec version " + (bytes[0] & 0xff)
                    + " (this Ferry reads version " + VERSION + ")");
        }
        In in = new In(bytes, 1, loader);
        try {
            Object v = in.value(0);
            if (in.pos != bytes.length) {
                throw new IllegalArgumentException("not a Ferry codec value: " + (bytes.length - in.pos)
                        + " trailing bytes");
            }
            return v;
        } catch (ArrayIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("not a Ferry codec value: truncated", e);
        }
    }

    private static void write(Out out, Object v, String path, int depth) {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("cannot encode " + path + ": nested deeper than " + MAX_DEPTH
                    + " levels (does it contain itself?)");
        }
        if (v == null) {
            out.write(NULL);
        } else if (v instanceof String s) {
            out.write(STRING);
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            out.varint(b.length);
            out.write(b, 0, b.length);
        } else if (v instanceof Integer i) {
            out.write(INT);
            out.fixed(i, 4);
        } else if (v instanceof Long l) {
            out.write(LONG);
            out.fixed(l, 8);
        } else if (v instanceof Double d) {
            out.write(DOUBLE);
            out.fixed(Double.doubleToRawLongBits(d), 8);
        } else if (v instanceof Boolean b) {
            out.write(b ? TRUE : FALSE);
        } else if (v instanceof byte[] b) {
            out.write(BYTES);
            out.varint(b.length);
            out.write(b, 0, b.length);
        } else if (v instanceof Float f) {
            out.write(FLOAT);
            out.fixed(Float.floatToRawIntBits(f), 4);
        } else if (v instanceof Short s) {
            out.write(SHORT);
            out.fixed(s, 2);
        } else if (v instanceof Byte b) {
            out.write(BYTE);
            out.write(b);
        } else if (v instanceof List<?> list) {
            out.write(LIST);
            out.varint(list.size());
            int i = 0;
            for (Object e : list) {
                write(out, e, path + "[" + i++ + "]", depth + 1);
            }
        } else if (v instanceof Map<?, ?> map) {
            writeMap(out, map, path, depth);
        } else if (v instanceof Record r) {
            writeRecord(out, r, path, depth);
        } else if (v instanceof dev.ferry.arrow.Table t) {
            byte[] ipc = dev.ferry.arrow.ArrowIpc.toBytes(t);
            out.write(TABLE);
            out.varint(ipc.length);
            out.write(ipc, 0, ipc.length);
        } else {
            throw unsupported(v, path);
        }
    }

    private static void writeMap(Out out, Map<?, ?> map, String path, int depth) {
        byte[][][] entries = new byte[map.size()][][];
        int n = 0;
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (n == entries.length) {
                throw new IllegalArgumentException("cannot encode " + path + ": the map changed while encoding");
            }
            Out k = new Out(16);
            write(k, e.getKey(), path + ".key(" + n + ")", depth + 1);
            Out val = new Out(16);
            write(val, e.getValue(), path + "[" + abbreviate(e.getKey()) + "]", depth + 1);
            entries[n++] = new byte[][] {k.toByteArray(), val.toByteArray()};
        }
        if (n != entries.length) {
            throw new IllegalArgumentException("cannot encode " + path + ": the map changed while encoding");
        }
        Arrays.sort(entries, (a, b) -> Arrays.compareUnsigned(a[0], b[0]));
        for (int i = 1; i < n; i++) {
            if (Arrays.equals(entries[i - 1][0], entries[i][0])) {
                throw new IllegalArgumentException("cannot encode " + path
                        + ": two keys of the map have the same encoding (e.g. two byte[] keys with equal content)");
            }
        }
        out.write(MAP);
        out.varint(n);
        for (byte[][] e : entries) {
            out.write(e[0], 0, e[0].length);
            out.write(e[1], 0, e[1].length);
        }
    }

    private static void writeRecord(Out out, Record r, String path, int depth) {
        Class<?> c = r.getClass();
        RecordComponent[] comps = c.getRecordComponents();
        out.write(RECORD);
        writeString(out, c.getName());
        out.varint(comps.length);
        for (RecordComponent rc : comps) {
            Object cv;
            try {
                var accessor = rc.getAccessor();
                accessor.setAccessible(true);
                cv = accessor.invoke(r);
            } catch (ReflectiveOperationException | RuntimeException e) {
                throw new IllegalArgumentException("cannot encode " + path + ": cannot read component "
                        + rc.getName() + " of record " + c.getName() + ": " + e, e);
            }
            writeString(out, rc.getName());
            write(out, cv, path + "." + rc.getName(), depth + 1);
        }
    }

    private static void writeString(Out out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.varint(b.length);
        out.write(b, 0, b.length);
    }

    private static String abbreviate(Object key) {
        String s = String.valueOf(key instanceof byte[] b ? "byte[" + b.length + "]" : key);
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    private static IllegalArgumentException unsupported(Object v, String path) {
        Class<?> c = v.getClass();
        String type = c.isArray() ? c.getComponentType().getName() + "[]" : c.getName();
        return new IllegalArgumentException("cannot encode " + path + " of type " + type
                + ": Ferry's store supports " + SUPPORTED);
    }

    /** A growable byte buffer without ByteArrayOutputStream's synchronization. */
    private static final class Out {
        private byte[] buf;
        private int len;

        Out(int capacity) {
            buf = new byte[capacity];
        }

        void ensure(int extra) {
            if (len + extra > buf.length) {
                long want = Math.max((long) buf.length * 2, (long) len + extra);
                if (want > Integer.MAX_VALUE - 16) {
                    throw new IllegalArgumentException("cannot encode: the value is larger than 2 GiB");
                }
                buf = Arrays.copyOf(buf, (int) want);
            }
        }

        void write(int b) {
            ensure(1);
            buf[len++] = (byte) b;
        }

        void write(byte[] b, int off, int n) {
            ensure(n);
            System.arraycopy(b, off, buf, len, n);
            len += n;
        }

        void fixed(long v, int bytes) {
            ensure(bytes);
            for (int i = bytes - 1; i >= 0; i--) {
                buf[len++] = (byte) (v >>> (8 * i));
            }
        }

        void varint(int v) {
            ensure(5);
            while ((v & ~0x7f) != 0) {
                buf[len++] = (byte) ((v & 0x7f) | 0x80);
                v >>>= 7;
            }
            buf[len++] = (byte) v;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, len);
        }
    }

    private static final class In {
        final byte[] b;
        int pos;
        final ClassLoader loader;

        In(byte[] b, int pos, ClassLoader loader) {
            this.b = b;
            this.pos = pos;
            this.loader = loader;
        }

        long fixed(int n) {
            long v = 0;
            for (int i = 0; i < n; i++) {
                v = (v << 8) | (b[pos++] & 0xff);
            }
            return v;
        }

        int varint() {
            int v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                int x = b[pos++] & 0xff;
                v |= (x & 0x7f) << shift;
                if ((x & 0x80) == 0) {
                    if (v < 0) {
                        break;
                    }
                    return v;
                }
            }
            throw new IllegalArgumentException("not a Ferry codec value: bad length at byte " + pos);
        }

        int length() {
            int n = varint();
            if (n > b.length - pos) {
                throw new IllegalArgumentException("not a Ferry codec value: truncated");
            }
            return n;
        }

        String string() {
            int n = length();
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }

        Object value(int depth) {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("not a Ferry codec value: nested deeper than " + MAX_DEPTH);
            }
            int tag = b[pos++] & 0xff;
            switch (tag) {
                case NULL: return null;
                case FALSE: return Boolean.FALSE;
                case TRUE: return Boolean.TRUE;
                case INT: return (int) fixed(4);
                case LONG: return fixed(8);
                case DOUBLE: return Double.longBitsToDouble(fixed(8));
                case FLOAT: return Float.intBitsToFloat((int) fixed(4));
                case SHORT: return (short) fixed(2);
                case BYTE: return b[pos++];
                case STRING: return string();
                case BYTES: {
                    int n = length();
                    byte[] out = Arrays.copyOfRange(b, pos, pos + n);
                    pos += n;
                    return out;
                }
                case TABLE: {
                    int n = length();
                    byte[] ipc = Arrays.copyOfRange(b, pos, pos + n);
                    pos += n;
                    return dev.ferry.arrow.ArrowIpc.fromBytes(ipc);
                }
                case LIST: {
                    int n = length(); // each element takes at least one byte
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        list.add(value(depth + 1));
                    }
                    return list;
                }
                case MAP: {
                    int n = length();
                    Map<Object, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        Object k = value(depth + 1);
                        map.put(k, value(depth + 1));
                    }
                    return map;
                }
                case RECORD: {
                    String cls = string();
                    int n = length();
                    Map<String, Object> comps = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        String name = string();
                        comps.put(name, value(depth + 1));
                    }
                    return toRecord(cls, comps);
                }
                default:
                    throw new IllegalArgumentException("not a Ferry codec value: unknown tag 0x"
                            + Integer.toHexString(tag) + " at byte " + (pos - 1));
            }
        }

        Object toRecord(String cls, Map<String, Object> comps) {
            try {
                Class<?> c = Class.forName(cls, true, loader);
                if (!c.isRecord()) {
                    return comps;
                }
                RecordComponent[] rcs = c.getRecordComponents();
                if (rcs.length != comps.size()) {
                    return comps;
                }
                Class<?>[] types = new Class<?>[rcs.length];
                Object[] args = new Object[rcs.length];
                int i = 0;
                for (RecordComponent rc : rcs) {
                    if (!comps.containsKey(rc.getName())) {
                        return comps;
                    }
                    types[i] = rc.getType();
                    args[i++] = comps.get(rc.getName());
                }
                Constructor<?> ctor = c.getDeclaredConstructor(types);
                ctor.setAccessible(true);
                return ctor.newInstance(args);
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                return comps; // not loadable here, changed shape, or components of other types: a Map
            }
        }
    }
}

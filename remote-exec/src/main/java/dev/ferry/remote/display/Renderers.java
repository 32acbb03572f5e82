package dev.ferry.remote.display;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The renderer registry: turns a value into a MIME bundle ({@code text/plain}, {@code text/html},
 * {@code image/png} as base64, ...). Renderers are registered by type; for a value the renderer of the
 * most specific registered type wins (its class, then its superclasses and interfaces, nearest first;
 * among equally near types the one registered last). A renderer may decline a value by returning
 * {@code null} (or an empty map): the next candidate is tried, down to the {@code Object} renderer.
 * A renderer that throws is skipped the same way. Every bundle gets a {@code text/plain} entry and is cut
 * to {@link Limits}.
 *
 * <pre>{@code
 * renderers().register(Point.class, p -> Map.of("text/html", "<b>" + p.x() + "," + p.y() + "</b>"));
 * }</pre>
 */
public final class Renderers implements dev.ferry.Renderers {
    private static final Renderers GLOBAL = withDefaults();

    private record Entry(Class<?> type, Function<Object, ? extends Map<String, ?>> renderer, long seq) {}

    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final AtomicLong seq = new AtomicLong();

    private Renderers() {}

    /** The registry that final expression values and {@code display(obj)} use. */
    public static Renderers global() {
        return GLOBAL;
    }

    /** A fresh registry with only the fallback (text of the value). */
    public static Renderers empty() {
        Renderers r = new Renderers();
        r.register(Object.class, v -> Map.of("text/plain", Text.plain(v)));
        return r;
    }

    /** A fresh registry with Ferry's built-in renderers. */
    public static Renderers withDefaults() {
        Renderers r = empty();
        BuiltIns.registerAll(r);
        return r;
    }

    /**
     * Registers {@code renderer} for values of {@code type} and its subtypes. It returns a MIME bundle
     * (MIME type to a String; images as base64), or {@code null} to leave the value to the next renderer.
     */
    @Override
    @SuppressWarnings("unchecked")
    public <T> Renderers register(Class<T> type, Function<? super T, ? extends Map<String, ?>> renderer) {
        if (type == null || renderer == null) {
            throw new IllegalArgumentException("register needs a type and a renderer");
        }
        Class<?> key = type.isPrimitive() ? boxed(type) : type;
        entries.add(new Entry(key, v -> renderer.apply((T) v), seq.incrementAndGet()));
        return this;
    }

    /** Removes every renderer registered for exactly {@code type}; true if there was one. */
    @Override
    public boolean unregister(Class<?> type) {
        return entries.removeIf(e -> e.type() == type && e.type() != Object.class);
    }

    /** The MIME bundle for {@code value}: always with text/plain, cut to {@link Limits}. */
    @Override
    public Map<String, Object> render(Object value) {
        if (value == null) {
            return new LinkedHashMap<>(Map.of("text/plain", "null"));
        }
        for (Entry e : candidates(value.getClass())) {
            Map<String, ?> out;
            try {
                out = e.renderer().apply(value);
            } catch (RuntimeException | LinkageError ex) {
                System.err.println("ferry: the renderer for " + e.type().getName() + " failed on a "
                        + value.getClass().getName() + " (" + ex + "); shown as text instead");
                continue;
            }
            if (out == null || out.isEmpty()) {
                continue;
            }
            Map<String, Object> bundle = new LinkedHashMap<>();
            out.forEach((k, v) -> {
                if (k != null && v != null) {
                    bundle.put(k, v);
                }
            });
            if (!(bundle.get("text/plain") instanceof CharSequence)) {
                bundle.put("text/plain", Text.plain(value));
            }
            return Limits.enforce(bundle);
        }
        return new LinkedHashMap<>(Map.of("text/plain", Text.plain(value)));
    }

    /** Registered types that apply to {@code c}, nearest first. */
    private List<Entry> candidates(Class<?> c) {
        Map<Class<?>, Integer> dist = distances(c);
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (e.type().isAssignableFrom(c)) {
                out.add(e);
            }
        }
        out.sort(Comparator.<Entry>comparingInt(e -> distance(c, e.type(), dist))
                .thenComparing(Comparator.comparingLong(Entry::seq).reversed()));
        return out;
    }

    private static int distance(Class<?> c, Class<?> t, Map<Class<?>, Integer> dist) {
        if (c.isArray()) {
            if (t == c) {
                return 0;
            }
            if (t.isArray()) { // String[] -> CharSequence[] -> Object[]
                Class<?> ct = t.getComponentType();
                Class<?> cc = c.getComponentType();
                return ct.isPrimitive() || cc.isPrimitive() ? 0 : 1 + distance(cc, ct, distances(cc));
            }
            return 100 + dist.getOrDefault(t, 50); // Object, Cloneable, Serializable: after any array type
        }
        return dist.getOrDefault(t, 1000);
    }

    /** Breadth-first distances from {@code c} to its superclasses and interfaces. */
    private static Map<Class<?>, Integer> distances(Class<?> c) {
        Map<Class<?>, Integer> dist = new HashMap<>();
        Deque<Class<?>> todo = new ArrayDeque<>();
        dist.put(c, 0);
        todo.add(c);
        while (!todo.isEmpty()) {
            Class<?> k = todo.poll();
            int d = dist.get(k);
            List<Class<?>> up = new ArrayList<>(List.of(k.getInterfaces()));
            if (k.getSuperclass() != null) {
                up.add(0, k.getSuperclass());
            }
            for (Class<?> s : up) {
                if (!dist.containsKey(s)) {
                    dist.put(s, d + 1);
                    todo.add(s);
                }
            }
        }
        return dist;
    }

    private static Class<?> boxed(Class<?> p) {
        if (p == int.class) return Integer.class;
        if (p == long.class) return Long.class;
        if (p == double.class) return Double.class;
        if (p == float.class) return Float.class;
        if (p == boolean.class) return Boolean.class;
        if (p == char.class) return Character.class;
        if (p == byte.class) return Byte.class;
        if (p == short.class) return Short.class;
        return Void.class;
    }
}

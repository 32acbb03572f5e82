package dev.ferry.arrow;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The one record reflector of Ferry: a record class's components (names, types, accessors) and its canonical
 * constructor, looked up once per class. {@link Table#fromRecords}, {@link Table#toRecords} and the display of a
 * list of records ({@link TableView#ofRecords}) all read records through it, so they agree on the columns. Records
 * declared in a notebook cell (JShell's wrapper classes are not public) are read through accessible accessors.
 */
public final class RecordType<R extends Record> {
    private static final ClassValue<RecordType<?>> CACHE = new ClassValue<>() {
        @Override
        @SuppressWarnings({"unchecked", "rawtypes"})
        protected RecordType<?> computeValue(Class<?> type) {
            return new RecordType(type);
        }
    };

    private final Class<R> type;
    private final RecordComponent[] components;
    private final Method[] accessors;
    private final List<String> names;
    private volatile Constructor<R> constructor;

    private RecordType(Class<R> type) {
        this.type = type;
        this.components = type.getRecordComponents();
        this.accessors = new Method[components.length];
        List<String> n = new ArrayList<>(components.length);
        for (int i = 0; i < components.length; i++) {
            accessors[i] = components[i].getAccessor();
            try {
                accessors[i].setAccessible(true);
            } catch (RuntimeException e) {
                // a record of a named module that is not open to Ferry: public accessors still work
            }
            n.add(components[i].getName());
        }
        this.names = Collections.unmodifiableList(n);
    }

    /** The reflector of record class {@code type}; an {@link IllegalArgumentException} if it is not a record. */
    @SuppressWarnings("unchecked")
    public static <R extends Record> RecordType<R> of(Class<R> type) {
        Objects.requireNonNull(type, "type");
        if (!type.isRecord()) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        return (RecordType<R>) CACHE.get(type);
    }

    /** {@link #of(Class)} of {@code record}'s class. */
    @SuppressWarnings("unchecked")
    public static <R extends Record> RecordType<R> ofRecord(R record) {
        return of((Class<R>) record.getClass());
    }

    /** The record class. */
    public Class<R> type() {
        return type;
    }

    /** Number of components. */
    public int size() {
        return components.length;
    }

    /** Component names in declaration order. */
    public List<String> names() {
        return names;
    }

    /** The name of component {@code i}. */
    public String name(int i) {
        return components[i].getName();
    }

    /** The declared Java type of component {@code i}. */
    public Class<?> componentType(int i) {
        return components[i].getType();
    }

    /**
     * The value of component {@code i} of {@code record} (boxed). An accessor that throws is an
     * {@link IllegalArgumentException} naming the component, with the accessor's exception as its cause.
     */
    public Object get(R record, int i) {
        return read(record, i);
    }

    /** {@link #get} for a record known only as an Object of this type. */
    Object read(Object record, int i) {
        try {
            return accessors[i].invoke(record);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("reading " + type.getSimpleName() + "." + name(i) + " failed: "
                    + e.getCause(), e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalArgumentException("reading " + type.getSimpleName() + "." + name(i) + ": " + e
                    + " (make the record public, or open its package to Ferry)", e);
        }
    }

    /** A new record from component values in declaration order, through the canonical constructor. */
    public R construct(Object... args) {
        Constructor<R> c = canonical();
        try {
            return c.newInstance(args);
        } catch (InvocationTargetException e) {
            throw new IllegalArgumentException("constructing " + type.getSimpleName() + " failed: " + e.getCause(),
                    e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("constructing " + type.getSimpleName() + ": " + e, e);
        }
    }

    private Constructor<R> canonical() {
        Constructor<R> c = constructor;
        if (c == null) {
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < types.length; i++) {
                types[i] = components[i].getType();
            }
            try {
                c = type.getDeclaredConstructor(types);
                c.setAccessible(true);
            } catch (NoSuchMethodException | RuntimeException e) {
                throw new IllegalArgumentException("cannot use the canonical constructor of " + type.getName() + ": "
                        + e, e);
            }
            constructor = c;
        }
        return c;
    }
}

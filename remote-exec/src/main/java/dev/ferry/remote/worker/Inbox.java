package dev.ferry.remote.worker;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values sent into this worker by value ({@code %%remote in=a,b}): parked here by the {@code bind} frame
 * and taken by the declaration the worker runs for each ({@code T a = (T) Inbox.take("a");}). Public
 * because the session's snippets call it.
 */
public final class Inbox {
    private static final Map<String, Object> PARKED = new ConcurrentHashMap<>();

    private Inbox() {}

    static void put(String name, Object value) {
        PARKED.put(name, value == null ? NULL : value);
    }

    /** The value parked under {@code name} (once). */
    public static Object take(String name) {
        Object v = PARKED.remove(name);
        return v == NULL ? null : v;
    }

    private static final Object NULL = new Object();
}

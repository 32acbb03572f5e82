package dev.ferry.remote.worker;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/** Where {@code %%function} parks the handle it makes until the cell that binds its variable takes it. */
public final class FunctionHandles {
    private static final AtomicLong IDS = new AtomicLong();
    private static final Map<String, Object> PARKED = new ConcurrentHashMap<>();

    private FunctionHandles() {}

    static String put(Object handle) {
        String id = "fn-" + IDS.incrementAndGet();
        PARKED.put(id, handle);
        return id;
    }

    /** Removes and returns the handle parked under {@code id}. */
    @SuppressWarnings("unchecked")
    public static <T> T take(String id) {
        Object h = PARKED.remove(id);
        if (h == null) {
            throw new NoSuchElementException("no %%function handle parked under " + id);
        }
        return (T) h;
    }

    static void discard(String id) {
        PARKED.remove(id);
    }
}

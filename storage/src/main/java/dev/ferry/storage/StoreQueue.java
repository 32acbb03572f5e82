package dev.ferry.storage;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CancellationException;

/**
 * The implementation of {@link dev.ferry.Queue} (the user type, in module api; {@link LocalStorage} hands it out).
 *
 * <p>A durable FIFO queue in Ferry's store, like Modal's {@code Queue}. Items go through {@link Codec}. A queue
 * has partitions: {@code null} is the default partition, any other key (1 to 64 bytes) names one; order is
 * FIFO within a partition. A partition may have a TTL: every put refreshes it, and once it passes without a
 * put the partition's items are invisible and purged.
 *
 * <p>Limits (Modal's): an item is at most {@value #MAX_ITEM_BYTES} bytes encoded, a partition holds at
 * most {@value #MAX_ITEMS_PER_PARTITION} items, a queue has at most {@value #MAX_PARTITIONS} partitions.
 * A put that would exceed one fails with a message naming the limit, and writes nothing.
 *
 * <p>Every get removes each item exactly once across threads, kernels and processes. A blocked get wakes
 * at once for a put in the same process and within about 20 ms for a put from another process.
 */
public final class StoreQueue<T> implements dev.ferry.Queue<T> {
    private static final int PAGE = 256;

    private final Store store;
    private final String name;
    private final boolean ephemeral;

    private StoreQueue(Store store, String name, boolean ephemeral) {
        this.store = store;
        this.name = name;
        this.ephemeral = ephemeral;
    }

    /** A named queue in the default store; creates it when missing if {@code createIfMissing}. */
    public static <T> StoreQueue<T> fromName(String name, boolean createIfMissing) {
        return fromName(Store.defaultStore(), name, createIfMissing);
    }

    /** A named queue that must exist already. */
    public static <T> StoreQueue<T> fromName(String name) {
        return fromName(name, false);
    }

    public static <T> StoreQueue<T> fromName(Store store, String name, boolean createIfMissing) {
        Names.checkName(Store.Kind.QUEUE, name);
        if (createIfMissing) {
            store.create(Store.Kind.QUEUE, name);
        } else if (!store.exists(Store.Kind.QUEUE, name)) {
            throw new NoSuchElementException("Queue '" + name + "' does not exist: create it with Queue.fromName(\""
                    + name + "\", true)");
        }
        return new StoreQueue<>(store, name, false);
    }

    /** A new queue that is deleted when closed, or when this process ends. Not listed by {@link #list()}. */
    public static <T> StoreQueue<T> ephemeral() {
        return ephemeral(Store.defaultStore());
    }

    public static <T> StoreQueue<T> ephemeral(Store store) {
        return new StoreQueue<>(store, store.createEphemeral(Store.Kind.QUEUE), true);
    }

    /** Deletes a named queue and its contents. */
    public static void delete(String name) {
        if (!Store.defaultStore().delete(Store.Kind.QUEUE, name)) {
            throw new NoSuchElementException("Queue '" + name + "' does not exist");
        }
    }

    /** The names of the named queues, sorted. */
    public static List<String> list() {
        return Store.defaultStore().list(Store.Kind.QUEUE);
    }

    public String name() {
        return ephemeral ? name.substring(Names.EPHEMERAL_PREFIX.length()) : name;
    }

    // ---- put

    public void put(T value) {
        putMany(Collections.singletonList(value), null, null);
    }

    public void put(T value, String partition) {
        putMany(Collections.singletonList(value), partition, null);
    }

    /** Puts into a partition and sets its TTL (refreshed by each later put). */
    public void put(T value, String partition, Duration ttl) {
        putMany(Collections.singletonList(value), partition, ttl);
    }

    /** Puts all values, in order, in one transaction: all or nothing. */
    public void putMany(List<? extends T> values) {
        putMany(values, null, null);
    }

    public void putMany(List<? extends T> values, String partition) {
        putMany(values, partition, null);
    }

    public void putMany(List<? extends T> values, String partition, Duration ttl) {
        List<byte[]> items = new ArrayList<>(values.size());
        for (T v : values) {
            items.add(Codec.encode(v));
        }
        store.queuePut(name, partition, items, ttl);
    }

    // ---- get

    /** Removes and returns the head of the default partition, waiting as long as it takes. */
    public T get() {
        return first(getMany(1, null, null));
    }

    /** Removes and returns the head of the default partition; null when none came within the timeout. */
    public T get(Duration timeout) {
        return get(null, timeout);
    }

    public T get(String partition, Duration timeout) {
        List<T> got = getMany(1, timeout, partition);
        return got.isEmpty() ? null : got.get(0);
    }

    /** Removes and returns the head without waiting; null when the partition is empty. */
    public T poll() {
        return poll(null);
    }

    public T poll(String partition) {
        return get(partition, Duration.ZERO);
    }

    /**
     * Removes and returns up to {@code n} items, waiting until at least one is there or the timeout passes
     * (null: no limit; {@link Duration#ZERO}: no wait). Empty on timeout.
     */
    public List<T> getMany(int n, Duration timeout) {
        return getMany(n, timeout, null);
    }

    public List<T> getMany(int n, Duration timeout, String partition) {
        List<byte[]> items;
        try {
            items = store.queueGet(name, partition, n, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw (CancellationException) new CancellationException("interrupted while waiting on " + this)
                    .initCause(e);
        }
        List<T> out = new ArrayList<>(items.size());
        for (byte[] b : items) {
            out.add(decode(b));
        }
        return out;
    }

    private static <T> T first(List<T> items) {
        return items.isEmpty() ? null : items.get(0);
    }

    // ---- inspect and clear

    /** Items in the default partition. */
    public long size() {
        return store.queueSize(name, null);
    }

    public long size(String partition) {
        return store.queueSize(name, partition);
    }

    /** Items in all partitions. */
    public long totalSize() {
        return store.queueTotalSize(name);
    }

    /** Clears the default partition. */
    public void clear() {
        store.queueClear(name, null);
    }

    public void clear(String partition) {
        store.queueClear(name, partition);
    }

    /** Clears every partition. */
    public void clearAll() {
        store.queueClearAll(name);
    }

    /** The items of the default partition in FIFO order, read without removing (fetched in pages). */
    public Iterable<T> iterate() {
        return iterate(null);
    }

    public Iterable<T> iterate(String partition) {
        return () -> new Iterator<>() {
            private List<Store.Peeked> page = List.of();
            private int i;
            private long after = 0;
            private boolean done;

            @Override
            public boolean hasNext() {
                if (i < page.size()) {
                    return true;
                }
                if (done) {
                    return false;
                }
                page = store.queuePeek(name, partition, after, PAGE);
                i = 0;
                done = page.size() < PAGE;
                if (!page.isEmpty()) {
                    after = page.get(page.size() - 1).seq();
                }
                return !page.isEmpty();
            }

            @Override
            public T next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return decode(page.get(i++).value());
            }
        };
    }

    /** Deletes an ephemeral queue; does nothing for a named one. */
    @Override
    public void close() {
        if (ephemeral) {
            store.delete(Store.Kind.QUEUE, name);
        }
    }

    @Override
    public String toString() {
        return Names.describe(Store.Kind.QUEUE, name);
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(byte[] bytes) {
        return (T) Codec.decode(bytes);
    }
}

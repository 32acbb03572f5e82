package dev.ferry.storage;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The store behind {@link Dict} and {@link Queue}: Dict and Queue semantics over encoded bytes (see
 * {@link Codec}). The kernel uses {@link SqliteStore}; inside a worker the same user API will run over an
 * implementation that forwards each call to the kernel's store as a frame.
 *
 * <p>Objects are named per kind (a Dict and a Queue may share a name). Every operation on a name that does
 * not exist (never created, or deleted meanwhile) throws {@link java.util.NoSuchElementException}.
 * A queue partition of {@code null} is the default partition.
 */
public interface Store extends AutoCloseable {

    /** What kind of object a name refers to. */
    enum Kind {
        DICT("Dict"), QUEUE("Queue");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** "Dict" or "Queue", for messages. */
        public String label() {
            return label;
        }
    }

    /** An item read from a queue without removing it: its position and its encoded value. */
    record Peeked(long seq, byte[] value) {
    }

    // ---- objects

    boolean exists(Kind kind, String name);

    /** Creates a named object; returns false when it already existed. */
    boolean create(Kind kind, String name);

    /**
     * Creates an ephemeral object with a generated name: not listed, deleted when this store closes or its
     * process ends (a store opened later removes those whose process died without cleaning up).
     */
    String createEphemeral(Kind kind);

    /** Deletes an object and its contents; returns false when there was no such object. */
    boolean delete(Kind kind, String name);

    /** Names of the named (non-ephemeral) objects of a kind, sorted. */
    List<String> list(Kind kind);

    // ---- dict

    /** The encoded value for an encoded key, or null when the key is absent. */
    byte[] dictGet(String dict, byte[] key);

    boolean dictContains(String dict, byte[] key);

    void dictPut(String dict, byte[] key, byte[] value);

    /** Puts only when the key is absent; returns whether it wrote. */
    boolean dictPutIfAbsent(String dict, byte[] key, byte[] value);

    /** Puts all entries in one transaction. */
    void dictPutAll(String dict, List<Map.Entry<byte[], byte[]>> entries);

    /** Removes a key; returns its encoded value, or null when it was absent. */
    byte[] dictRemove(String dict, byte[] key);

    long dictSize(String dict);

    /** All entries (a snapshot), in encoded-key order. */
    List<Map.Entry<byte[], byte[]>> dictItems(String dict);

    void dictClear(String dict);

    // ---- queue

    /**
     * Appends items to a partition, all or nothing, after checking every limit.
     *
     * @param ttl the partition's time to live, refreshed by every put (null: keep the partition's TTL,
     *     none for a new partition)
     */
    void queuePut(String queue, String partition, List<byte[]> items, Duration ttl);

    /**
     * Removes and returns up to {@code max} items from the head of a partition, exactly once across
     * threads and processes. Waits until at least one item is there or the timeout passes.
     *
     * @param timeout {@link Duration#ZERO} to not wait; null to wait without limit
     * @return the items in FIFO order; empty on timeout
     */
    List<byte[]> queueGet(String queue, String partition, int max, Duration timeout) throws InterruptedException;

    /** Items in a partition (expired partitions count 0). */
    long queueSize(String queue, String partition);

    /** Items in all partitions of a queue. */
    long queueTotalSize(String queue);

    void queueClear(String queue, String partition);

    /** Clears every partition of a queue. */
    void queueClearAll(String queue);

    /** Up to {@code limit} items of a partition after position {@code afterSeq}, without removing them. */
    List<Peeked> queuePeek(String queue, String partition, long afterSeq, int limit);

    @Override
    void close();

    // ---- the default store

    /**
     * The store that {@code Dict.fromName}, {@code Queue.fromName} and the other static factories use.
     *
     * @throws IllegalStateException when the host has not set one
     */
    static Store defaultStore() {
        Store s = DefaultStore.get();
        if (s == null) {
            throw new IllegalStateException("no default Store is set: the Ferry kernel (or a worker) sets it with "
                    + "Store.setDefault(...); outside Ferry call Store.setDefault(SqliteStore.open(dataDir)) first, "
                    + "or pass a Store to Dict.fromName(store, ...)/Queue.fromName(store, ...)");
        }
        return s;
    }

    /** Sets (or, with null, unsets) the default store; the host calls this once at start. */
    static void setDefault(Store store) {
        DefaultStore.set(store == null ? null : () -> store);
    }

    /**
     * Sets the default store to one that is opened on first use, once: a notebook that never touches a
     * Dict or Queue never pays for opening the database.
     */
    static void setDefaultLazily(java.util.function.Supplier<Store> opener) {
        DefaultStore.set(opener);
    }
}

final class DefaultStore {
    private static java.util.function.Supplier<Store> opener;
    private static Store current;

    private DefaultStore() {
    }

    static synchronized void set(java.util.function.Supplier<Store> o) {
        opener = o;
        current = null;
    }

    static synchronized Store get() {
        if (current == null && opener != null) {
            current = opener.get();
        }
        return current;
    }
}

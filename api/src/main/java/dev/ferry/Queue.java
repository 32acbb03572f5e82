package dev.ferry;

import dev.ferry.spi.Storage;

import java.time.Duration;
import java.util.List;

/**
 * A durable FIFO queue in Ferry's store, like Modal's {@code Queue}. Items go through the store's codec. A
 * queue has partitions: {@code null} is the default partition, any other key (1 to 64 bytes) names one; order
 * is FIFO within a partition. A partition may have a TTL: every put refreshes it, and once it passes without a
 * put the partition's items are invisible and purged. See docs/storage.md.
 *
 * <p>Limits (Modal's): an item is at most {@value #MAX_ITEM_BYTES} bytes encoded, a partition holds at
 * most {@value #MAX_ITEMS_PER_PARTITION} items, a queue has at most {@value #MAX_PARTITIONS} partitions.
 * A put that would exceed one fails with a message naming the limit, and writes nothing.
 *
 * <p>Every get removes each item exactly once across threads, kernels and processes. A blocked get wakes
 * at once for a put in the same process and within about 20 ms for a put from another process.
 */
public interface Queue<T> extends AutoCloseable {
    /** At most 1 MiB per item, encoded. */
    int MAX_ITEM_BYTES = 1 << 20;
    int MAX_ITEMS_PER_PARTITION = 5_000;
    int MAX_PARTITIONS = 100_000;

    /** A named queue in the default store; creates it when missing if {@code createIfMissing}. */
    static <T> Queue<T> fromName(String name, boolean createIfMissing) {
        return Storage.current().queue(name, createIfMissing);
    }

    /** A named queue that must exist already. */
    static <T> Queue<T> fromName(String name) {
        return fromName(name, false);
    }

    /** A new queue that is deleted when closed, or when this process ends. Not listed by {@link #list()}. */
    static <T> Queue<T> ephemeral() {
        return Storage.current().ephemeralQueue();
    }

    /** Deletes a named queue and its items; throws when there is none. */
    static void delete(String name) {
        Storage.current().deleteQueue(name);
    }

    /** The names of the named queues, sorted. */
    static List<String> list() {
        return Storage.current().queues();
    }

    /** The queue's name (a generated one for an ephemeral queue). */
    String name();

    void put(T value);

    void put(T value, String partition);

    /** Puts into a partition and sets its TTL (refreshed by each later put). */
    void put(T value, String partition, Duration ttl);

    /** Puts all values, in order, in one transaction: all or nothing. */
    void putMany(List<? extends T> values);

    void putMany(List<? extends T> values, String partition);

    void putMany(List<? extends T> values, String partition, Duration ttl);

    /** Removes and returns the head of the default partition, waiting as long as it takes. */
    T get();

    /** Removes and returns the head of the default partition; null when none came within the timeout. */
    T get(Duration timeout);

    T get(String partition, Duration timeout);

    /** Removes and returns the head without waiting; null when the partition is empty. */
    T poll();

    T poll(String partition);

    /**
     * Removes and returns up to {@code n} items, waiting until at least one is there or the timeout passes
     * (null: no limit; {@link Duration#ZERO}: no wait). Empty on timeout.
     */
    List<T> getMany(int n, Duration timeout);

    List<T> getMany(int n, Duration timeout, String partition);

    /** Items in the default partition. */
    long size();

    long size(String partition);

    /** Items in all partitions. */
    long totalSize();

    /** Clears the default partition. */
    void clear();

    void clear(String partition);

    /** Clears every partition. */
    void clearAll();

    /** The items of the default partition in FIFO order, read without removing (fetched in pages). */
    Iterable<T> iterate();

    Iterable<T> iterate(String partition);

    /** Deletes an ephemeral queue; does nothing for a named one. */
    @Override
    void close();
}

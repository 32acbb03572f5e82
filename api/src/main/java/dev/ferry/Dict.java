package dev.ferry;

import dev.ferry.spi.Storage;

import java.util.List;
import java.util.Map;

/**
 * A durable key-value map in Ferry's store, like Modal's {@code Dict}: named dicts are shared by every cell
 * and every kernel on the machine; ephemeral ones vanish when closed or when their process ends. Keys and
 * values go through the store's codec (strings, numbers, booleans, null, byte arrays, lists and maps of those,
 * records); keys are compared by their encoded bytes, so {@code 1} (an int) and {@code 1L} are different
 * keys. Every call is one transaction; {@link #keys()}, {@link #values()} and {@link #items()} are snapshots.
 * See docs/storage.md.
 *
 * <pre>{@code
 * Dict<String, Integer> scores = Dict.fromName("scores", true);
 * scores.put("alice", 3);
 * scores.get("alice");            // 3
 * }</pre>
 */
public interface Dict<K, V> extends Iterable<Map.Entry<K, V>>, AutoCloseable {

    /** A named dict in the default store; creates it when missing if {@code createIfMissing}. */
    static <K, V> Dict<K, V> fromName(String name, boolean createIfMissing) {
        return Storage.current().dict(name, createIfMissing);
    }

    /** A named dict that must exist already. */
    static <K, V> Dict<K, V> fromName(String name) {
        return fromName(name, false);
    }

    /** A new dict that is deleted when closed, or when this process ends. Not listed by {@link #list()}. */
    static <K, V> Dict<K, V> ephemeral() {
        return Storage.current().ephemeralDict();
    }

    /** Deletes a named dict and its contents; throws when there is none. */
    static void delete(String name) {
        Storage.current().deleteDict(name);
    }

    /** The names of the named dicts, sorted. */
    static List<String> list() {
        return Storage.current().dicts();
    }

    /** The dict's name (a generated one for an ephemeral dict). */
    String name();

    void put(K key, V value);

    /** Puts only when the key is absent (Modal's {@code skip_if_exists}); returns whether it wrote. */
    boolean putIfAbsent(K key, V value);

    /** The value, or null when the key is absent. */
    V get(K key);

    /** The value, or {@code otherwise} when the key is absent. */
    V get(K key, V otherwise);

    boolean containsKey(K key);

    /** Removes the key and returns its value; throws when the key is absent (Python's {@code pop}). */
    V pop(K key);

    /** Removes the key; returns its value, or null when it was absent (Java's {@code Map.remove}). */
    V remove(K key);

    long size();

    /** The same as {@link #size()}. */
    long len();

    List<K> keys();

    List<V> values();

    /** The entries, a snapshot in encoded-key order. */
    List<Map.Entry<K, V>> items();

    /** A snapshot as a Java map (keys decoded; distinct keys with equal decoded values collapse). */
    Map<K, V> toMap();

    /** Puts every entry, in one transaction. */
    void update(Map<? extends K, ? extends V> entries);

    void clear();

    /** Deletes an ephemeral dict; does nothing for a named one. */
    @Override
    void close();
}

package dev.ferry.storage;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * The implementation of {@link dev.ferry.Dict} (the user type, in module api; {@link LocalStorage} hands it out).
 *
 * <p>A durable key-value map in Ferry's store, like Modal's {@code Dict}: named dicts are shared by every cell
 * and every kernel on the machine; ephemeral ones vanish when closed or when their process ends. Keys and
 * values go through {@link Codec} (strings, numbers, booleans, null, byte arrays, lists and maps of those,
 * records); keys are compared by their encoded bytes, so {@code 1} (an int) and {@code 1L} are different
 * keys. Every call is one transaction; {@link #keys()}, {@link #values()} and {@link #items()} are snapshots.
 *
 * <pre>{@code
 * Dict<String, Integer> scores = Dict.fromName("scores", true);
 * scores.put("alice", 3);
 * scores.get("alice");            // 3
 * }</pre>
 */
public final class StoreDict<K, V> implements dev.ferry.Dict<K, V> {
    private final Store store;
    private final String name;
    private final boolean ephemeral;

    private StoreDict(Store store, String name, boolean ephemeral) {
        this.store = store;
        this.name = name;
        this.ephemeral = ephemeral;
    }

    /** A named dict in the default store; creates it when missing if {@code createIfMissing}. */
    public static <K, V> StoreDict<K, V> fromName(String name, boolean createIfMissing) {
        return fromName(Store.defaultStore(), name, createIfMissing);
    }

    /** A named dict that must exist already. */
    public static <K, V> StoreDict<K, V> fromName(String name) {
        return fromName(name, false);
    }

    /** A named dict in a given store. */
    public static <K, V> StoreDict<K, V> fromName(Store store, String name, boolean createIfMissing) {
        Names.checkName(Store.Kind.DICT, name);
        if (createIfMissing) {
            store.create(Store.Kind.DICT, name);
        } else if (!store.exists(Store.Kind.DICT, name)) {
            throw new NoSuchElementException("Dict '" + name + "' does not exist: create it with Dict.fromName(\""
                    + name + "\", true)");
        }
        return new StoreDict<>(store, name, false);
    }

    /** A new dict that is deleted when closed, or when this process ends. Not listed by {@link #list()}. */
    public static <K, V> StoreDict<K, V> ephemeral() {
        return ephemeral(Store.defaultStore());
    }

    public static <K, V> StoreDict<K, V> ephemeral(Store store) {
        return new StoreDict<>(store, store.createEphemeral(Store.Kind.DICT), true);
    }

    /** Deletes a named dict and its contents. */
    public static void delete(String name) {
        if (!Store.defaultStore().delete(Store.Kind.DICT, name)) {
            throw new NoSuchElementException("Dict '" + name + "' does not exist");
        }
    }

    /** The names of the named dicts, sorted. */
    public static List<String> list() {
        return Store.defaultStore().list(Store.Kind.DICT);
    }

    /** The dict's name (a generated one for an ephemeral dict). */
    public String name() {
        return ephemeral ? name.substring(Names.EPHEMERAL_PREFIX.length()) : name;
    }

    public void put(K key, V value) {
        store.dictPut(name, Codec.encode(key), Codec.encode(value));
    }

    /** Puts only when the key is absent (Modal's {@code skip_if_exists}); returns whether it wrote. */
    public boolean putIfAbsent(K key, V value) {
        return store.dictPutIfAbsent(name, Codec.encode(key), Codec.encode(value));
    }

    /** The value, or null when the key is absent. */
    public V get(K key) {
        return get(key, null);
    }

    /** The value, or {@code otherwise} when the key is absent. */
    public V get(K key, V otherwise) {
        byte[] v = store.dictGet(name, Codec.encode(key));
        return v == null ? otherwise : decode(v);
    }

    public boolean containsKey(K key) {
        return store.dictContains(name, Codec.encode(key));
    }

    /** Removes the key and returns its value; throws when the key is absent (Python's {@code pop}). */
    public V pop(K key) {
        byte[] v = store.dictRemove(name, Codec.encode(key));
        if (v == null) {
            throw new NoSuchElementException("key " + abbreviate(key) + " is not in " + describe());
        }
        return decode(v);
    }

    /** Removes the key; returns its value, or null when it was absent (Java's {@code Map.remove}). */
    public V remove(K key) {
        byte[] v = store.dictRemove(name, Codec.encode(key));
        return v == null ? null : decode(v);
    }

    public long size() {
        return store.dictSize(name);
    }

    /** The same as {@link #size()}. */
    public long len() {
        return size();
    }

    public List<K> keys() {
        List<K> out = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : store.dictItems(name)) {
            out.add(decode(e.getKey()));
        }
        return out;
    }

    public List<V> values() {
        List<V> out = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : store.dictItems(name)) {
            out.add(decode(e.getValue()));
        }
        return out;
    }

    /** The entries, a snapshot in encoded-key order. */
    public List<Map.Entry<K, V>> items() {
        List<Map.Entry<K, V>> out = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : store.dictItems(name)) {
            out.add(new AbstractMap.SimpleImmutableEntry<>(decode(e.getKey()), decode(e.getValue())));
        }
        return out;
    }

    @Override
    public Iterator<Map.Entry<K, V>> iterator() {
        return items().iterator();
    }

    /** A snapshot as a Java map (keys decoded; distinct keys with equal decoded values collapse). */
    public Map<K, V> toMap() {
        Map<K, V> out = new LinkedHashMap<>();
        for (Map.Entry<K, V> e : items()) {
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    /** Puts every entry, in one transaction. */
    public void update(Map<? extends K, ? extends V> entries) {
        List<Map.Entry<byte[], byte[]>> encoded = new ArrayList<>(entries.size());
        for (Map.Entry<? extends K, ? extends V> e : entries.entrySet()) {
            encoded.add(new AbstractMap.SimpleImmutableEntry<>(Codec.encode(e.getKey()), Codec.encode(e.getValue())));
        }
        store.dictPutAll(name, encoded);
    }

    public void clear() {
        store.dictClear(name);
    }

    /** Deletes an ephemeral dict; does nothing for a named one. */
    @Override
    public void close() {
        if (ephemeral) {
            store.delete(Store.Kind.DICT, name);
        }
    }

    @Override
    public String toString() {
        return describe();
    }

    private String describe() {
        return Names.describe(Store.Kind.DICT, name);
    }

    @SuppressWarnings("unchecked")
    private static <T> T decode(byte[] bytes) {
        return (T) Codec.decode(bytes);
    }

    private static String abbreviate(Object key) {
        String s = key instanceof String str ? "\"" + str + "\"" : String.valueOf(key);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}

package dev.ferry.storage;

import dev.ferry.Dict;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DictTest {
    record Score(String who, int points) {
    }

    @TempDir
    Path dir;
    SqliteStore store;

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir);
        Store.setDefault(store);
    }

    @AfterEach
    void close() {
        Store.setDefault(null);
        store.close();
    }

    @Test
    void storeFileIsDocumentedName() {
        assertEquals(dir.resolve("store.sqlite"), store.file());
        assertTrue(dir.resolve("store.sqlite").toFile().exists());
    }

    @Test
    void putGetAndFriends() {
        Dict<Object, Object> d = Dict.fromName("d1", true);
        assertNull(d.get("a"));
        assertEquals("dflt", d.get("a", "dflt"));
        d.put("a", 1);
        d.put("a", 2);
        assertEquals(2, d.get("a"));
        assertTrue(d.containsKey("a"));
        assertFalse(d.containsKey("b"));
        assertFalse(d.putIfAbsent("a", 3));
        assertTrue(d.putIfAbsent("b", null));
        assertNull(d.get("b", "dflt")); // a stored null is not "absent"
        assertTrue(d.containsKey("b"));
        assertEquals(2L, d.size());
        assertEquals(2L, d.len());
        assertEquals(2, d.pop("a"));
        assertThrows(NoSuchElementException.class, () -> d.pop("a"));
        assertNull(d.remove("zzz"));
        assertNull(d.remove("b"));
        assertEquals(0L, d.size());
    }

    @Test
    void keysAreComparedByEncoding() {
        Dict<Object, String> d = Dict.fromName("d2", true);
        d.put(1, "int");
        d.put(1L, "long");
        d.put(List.of(1, "x"), "list");
        d.put(new byte[] {1, 2}, "bytes");
        d.put(Map.of("a", 1, "b", 2), "map");
        assertEquals("int", d.get(1));
        assertEquals("long", d.get(1L));
        assertEquals("list", d.get(List.of(1, "x")));
        assertEquals("bytes", d.get(new byte[] {1, 2}));
        Map<String, Integer> sameMap = new LinkedHashMap<>();
        sameMap.put("b", 2);
        sameMap.put("a", 1);
        assertEquals("map", d.get(sameMap));
        assertEquals(5L, d.size());
    }

    @Test
    void iterationUpdateClearAndRecords() {
        Dict<String, Object> d = Dict.fromName("d3", true);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("x", new Score("ann", 3));
        m.put("y", new byte[] {7});
        m.put("z", List.of(1.5, true));
        d.update(m);
        assertEquals(List.of("x", "y", "z"), d.keys());
        assertEquals(new Score("ann", 3), d.get("x"));
        assertArrayEquals(new byte[] {7}, (byte[]) d.values().get(1));
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, Object> e : d) {
            seen.add(e.getKey());
        }
        assertEquals(List.of("x", "y", "z"), seen);
        assertEquals(3, d.items().size());
        assertEquals(List.of(1.5, true), d.toMap().get("z"));
        d.clear();
        assertEquals(0L, d.size());
    }

    @Test
    void updateIsAllOrNothing() {
        Dict<String, Object> d = Dict.fromName("d4", true);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ok", 1);
        m.put("bad", new Object());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.update(m));
        assertTrue(e.getMessage().contains("java.lang.Object"), e.getMessage());
        assertEquals(0L, d.size());
    }

    @Test
    void namedDictsListedDeletedAndMissingOnesExplained() {
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> Dict.fromName("nope", false));
        assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("Dict.fromName(\"nope\", true)"),
                e.getMessage());
        Dict<String, Integer> a = Dict.fromName("a", true);
        Dict.fromName("b", true);
        Dict<String, Integer> again = Dict.fromName("a");
        a.put("k", 1);
        assertEquals(1, again.get("k"));
        try (Dict<String, String> eph = Dict.ephemeral()) {
            eph.put("k", "v");
            assertEquals(List.of("a", "b"), Dict.list());
        }
        Dict.delete("a");
        assertEquals(List.of("b"), Dict.list());
        assertThrows(NoSuchElementException.class, () -> a.get("k"));
        assertThrows(NoSuchElementException.class, () -> Dict.delete("a"));
        assertThrows(IllegalArgumentException.class, () -> Dict.fromName("bad name!", true));
    }

    @Test
    void ephemeralDictIsGoneWhenClosed() {
        Dict<String, String> eph = Dict.ephemeral();
        eph.put("k", "v");
        assertEquals("v", eph.get("k"));
        eph.close();
        assertThrows(NoSuchElementException.class, () -> eph.get("k"));
    }

    @Test
    void ephemeralDictIsGoneWhenItsStoreCloses() {
        SqliteStore other = SqliteStore.open(dir);
        Dict<String, String> eph = StoreDict.ephemeral(other);
        String name = Names.EPHEMERAL_PREFIX + eph.name();
        assertTrue(store.exists(Store.Kind.DICT, name));
        other.close();
        assertFalse(store.exists(Store.Kind.DICT, name));
    }

    @Test
    void noDefaultStoreIsAClearError() {
        Store.setDefault(null);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Dict.fromName("x", true));
        assertTrue(e.getMessage().contains("Store.setDefault"), e.getMessage());
    }
}

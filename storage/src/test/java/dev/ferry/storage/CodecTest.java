package dev.ferry.storage;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CodecTest {
    record Point(int x, int y) {
    }

    record Job(String id, List<Object> args, Point at, byte[] blob) {
    }

    private static Object roundTrip(Object v) {
        return Codec.decode(Codec.encode(v));
    }

    @Test
    void scalarsKeepTheirTypes() {
        assertNull(roundTrip(null));
        assertEquals(Boolean.TRUE, roundTrip(true));
        assertEquals(Boolean.FALSE, roundTrip(false));
        assertEquals(Integer.valueOf(-7), roundTrip(-7));
        assertEquals(Long.valueOf(Long.MIN_VALUE), roundTrip(Long.MIN_VALUE));
        assertEquals(Double.valueOf(3.25), roundTrip(3.25));
        assertEquals(Double.NaN, (Double) roundTrip(Double.NaN));
        assertEquals(Float.valueOf(1.5f), roundTrip(1.5f));
        assertEquals(Short.valueOf((short) -300), roundTrip((short) -300));
        assertEquals(Byte.valueOf((byte) -1), roundTrip((byte) -1));
        assertEquals("", roundTrip(""));
        assertEquals("héllo ✓ 𝄞", roundTrip("héllo ✓ 𝄞"));
        assertArrayEquals(new byte[] {0, 1, (byte) 255}, (byte[]) roundTrip(new byte[] {0, 1, (byte) 255}));
        assertInstanceOf(Integer.class, roundTrip(1));
        assertInstanceOf(Long.class, roundTrip(1L));
    }

    @Test
    void versionByteFirstAndDocumentedLayout() {
        assertArrayEquals(new byte[] {1, 0x03, 0, 0, 1, 0}, Codec.encode(256));
        assertArrayEquals(new byte[] {1, 0x06, 2, 'h', 'i'}, Codec.encode("hi"));
        assertArrayEquals(new byte[] {1, 0x00}, Codec.encode(null));
        String big = "x".repeat(200);
        byte[] b = Codec.encode(big);
        assertEquals(1 + 1 + 2 + 200, b.length); // varint 200 = 0xC8 0x01
        assertEquals((byte) 0xC8, b[2]);
        assertEquals(1, b[3]);
    }

    @Test
    void listsMapsAndNesting() {
        List<Object> list = new ArrayList<>(Arrays.asList(1, "two", null, 3.0, List.of(true), Map.of("k", 5L)));
        assertEquals(list, roundTrip(list));
        Map<Object, Object> map = new LinkedHashMap<>();
        map.put("b", 2);
        map.put(1, List.of("x"));
        map.put(null, "null key");
        Object back = roundTrip(map);
        assertEquals(map, back);
    }

    @Test
    void mapsAreCanonical() {
        Map<String, Integer> a = new LinkedHashMap<>();
        a.put("x", 1);
        a.put("y", 2);
        Map<String, Integer> b = new LinkedHashMap<>();
        b.put("y", 2);
        b.put("x", 1);
        assertArrayEquals(Codec.encode(a), Codec.encode(b));
        assertArrayEquals(Codec.encode(a), Codec.encode(new HashMap<>(b)));
    }

    @Test
    void recordsComeBackAsRecords() {
        Job job = new Job("j1", List.of(1, "a"), new Point(2, 3), new byte[] {9});
        Job back = (Job) roundTrip(job);
        assertEquals("j1", back.id());
        assertEquals(List.of(1, "a"), back.args());
        assertEquals(new Point(2, 3), back.at());
        assertArrayEquals(new byte[] {9}, back.blob());
    }

    @Test
    void recordsWhoseClassIsNotLoadableComeBackAsMaps() {
        ClassLoader bootstrapOnly = new ClassLoader(null) {
        };
        Object back = Codec.decode(Codec.encode(new Point(4, 5)), bootstrapOnly);
        assertEquals(Map.of("x", 4, "y", 5), back);
    }

    @Test
    void arrowTablesRoundTripInsideOtherValues() {
        try (dev.ferry.arrow.Table t = dev.ferry.arrow.Table.fromRecords(List.of(new Point(1, 2), new Point(3, 4)))) {
            Object back = Codec.decode(Codec.encode(Map.of("table", t, "n", 2)));
            dev.ferry.arrow.Table u = (dev.ferry.arrow.Table) ((Map<?, ?>) back).get("table");
            try (u) {
                assertEquals(2, u.rowCount());
                assertEquals(List.of("x", "y"), u.columnNames());
                assertEquals(List.of(1, 3), u.column("x"));
            }
        }
    }

    @Test
    void unsupportedTypesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codec.encode(new Date()));
        assertTrue(e.getMessage().contains("java.util.Date"), e.getMessage());
        assertTrue(e.getMessage().contains("supports") && e.getMessage().contains("byte[]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Codec.encode(List.of(1, Map.of("k", new int[] {1}))));
        assertTrue(e.getMessage().contains("int[]"), e.getMessage());
        assertTrue(e.getMessage().contains("value[1][k]"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Codec.encode(Set.of(1)));
        assertTrue(e.getMessage().contains("Set"), e.getMessage());

        List<Object> cycle = new ArrayList<>();
        cycle.add(cycle);
        e = assertThrows(IllegalArgumentException.class, () -> Codec.encode(cycle));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());

        Map<Object, Object> dup = new HashMap<>();
        dup.put(new byte[] {1}, "a");
        dup.put(new byte[] {1}, "b");
        e = assertThrows(IllegalArgumentException.class, () -> Codec.encode(dup));
        assertTrue(e.getMessage().contains("same encoding"), e.getMessage());
    }

    @Test
    void badBytesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Codec.decode(new byte[] {2, 0}));
        assertTrue(e.getMessage().contains("version 2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codec.decode(new byte[] {1, 0x06, 5, 'a'}));
        assertThrows(IllegalArgumentException.class, () -> Codec.decode(new byte[] {1, 0x7f}));
        assertThrows(IllegalArgumentException.class, () -> Codec.decode(new byte[] {1, 0, 0}));
        assertThrows(IllegalArgumentException.class, () -> Codec.decode(new byte[0]));
    }
}

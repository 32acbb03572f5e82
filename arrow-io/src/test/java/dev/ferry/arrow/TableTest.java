package dev.ferry.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TableTest {
    enum Color { RED, GREEN }

    record Everything(boolean b, byte i8, short i16, int i32, long i64, float f32, double f64, String s, byte[] bin,
                      BigDecimal dec, LocalDate date, LocalTime time, LocalDateTime ts, Instant instant,
                      Integer boxed, Color color) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Everything e && b == e.b && i8 == e.i8 && i16 == e.i16 && i32 == e.i32 && i64 == e.i64
                    && f32 == e.f32 && f64 == e.f64 && java.util.Objects.equals(s, e.s) && Arrays.equals(bin, e.bin)
                    && java.util.Objects.equals(dec, e.dec) && java.util.Objects.equals(date, e.date)
                    && java.util.Objects.equals(time, e.time) && java.util.Objects.equals(ts, e.ts)
                    && java.util.Objects.equals(instant, e.instant) && java.util.Objects.equals(boxed, e.boxed)
                    && color == e.color;
        }

        @Override
        public int hashCode() {
            return i32;
        }
    }

    record Person(String name, int age) {
    }

    record Narrow(String name, byte age) {
    }

    record Wrong(String name, String age) {
    }

    record Missing(String name, int height) {
    }

    BufferAllocator alloc;

    @BeforeEach
    void setUp() {
        alloc = new RootAllocator();
    }

    @AfterEach
    void tearDown() {
        assertEquals(0, alloc.getAllocatedMemory(), "all Arrow memory released");
        alloc.close();
    }

    static List<Everything> everything(int n) {
        List<Everything> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            boolean nulls = i % 3 == 0;
            out.add(new Everything(i % 2 == 0, (byte) i, (short) (i * 3), i, (long) i << 33, i / 2f, i / 3.0,
                    nulls ? null : "s" + i + "é", nulls ? null : new byte[] {(byte) i, 2, 3},
                    nulls ? null : new BigDecimal(i + ".25"), nulls ? null : LocalDate.of(2024, 1, 1).plusDays(i),
                    nulls ? null : LocalTime.of(12, 30, 15, 123_456_000), nulls ? null
                    : LocalDateTime.of(2024, 2, 29, 23, 59, 58, 999_999_000).plusSeconds(i),
                    nulls ? null : Instant.parse("2024-03-01T00:00:00.000001Z").plusSeconds(i), nulls ? null : i,
                    nulls ? null : Color.values()[i % 2]));
        }
        return out;
    }

    @Test
    void recordsToTableToIpcToTableToRecords() throws Exception {
        List<Everything> in = everything(150_000); // spans three batches
        try (Table t = Table.fromRecords(Everything.class, in, alloc)) {
            assertEquals(150_000, t.rowCount());
            assertEquals(16, t.columnCount());
            assertEquals("int32", Render.typeName(t.columnType(t.columnIndex("i32"))));
            assertEquals("decimal(38,2)", Render.typeName(t.columnType(t.columnIndex("dec"))));
            ByteArrayOutputStream bos = new ByteArrayOutputStream();
            long n = ArrowIpc.write(t, bos);
            assertEquals(bos.size(), n);
            try (Table back = ArrowIpc.read(new ByteArrayInputStream(bos.toByteArray()), alloc)) {
                assertEquals(t.schema(), back.schema());
                assertEquals(150_000, back.rowCount());
                List<Everything> out = back.toRecords(Everything.class);
                assertEquals(in, out);
            }
        }
    }

    @Test
    void ipcStreamIsSelfDelimitedInsideALargerStream() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (Table a = Table.fromRecords(List.of(new Person("a", 1)));
             Table b = Table.fromRecords(List.of(new Person("b", 2), new Person("c", 3)))) {
            ArrowIpc.write(a, bos);
            ArrowIpc.write(b, bos);
        }
        bos.write(42);
        ByteArrayInputStream in = new ByteArrayInputStream(bos.toByteArray());
        try (Table a = ArrowIpc.read(in, alloc); Table b = ArrowIpc.read(in, alloc)) {
            assertEquals(List.of(new Person("a", 1)), a.toRecords(Person.class));
            assertEquals(List.of(new Person("b", 2), new Person("c", 3)), b.toRecords(Person.class));
        }
        assertEquals(42, in.read());
    }

    @Test
    void channelOverloadsLeaveTheChannelOpenAndReadExactly() throws Exception {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (Table a = Table.fromRecords(List.of(new Person("a", 1)), alloc)) {
            java.nio.channels.WritableByteChannel out = java.nio.channels.Channels.newChannel(bos);
            ArrowIpc.write(a, out);
            ArrowIpc.write(a, out);
            assertTrue(out.isOpen());
        }
        java.nio.channels.ReadableByteChannel in =
                java.nio.channels.Channels.newChannel(new ByteArrayInputStream(bos.toByteArray()));
        for (int k = 0; k < 2; k++) {
            try (Table t = ArrowIpc.read(in, alloc)) {
                assertEquals(List.of(new Person("a", 1)), t.toRecords(Person.class));
            }
        }
        assertTrue(in.isOpen());
    }

    @Test
    void emptyTablesRoundTrip() {
        try (Table t = Table.fromRecords(Person.class, List.of(), alloc)) {
            assertEquals(0, t.rowCount());
            assertEquals(2, t.columnCount());
            byte[] bytes = ArrowIpc.toBytes(t);
            try (Table back = ArrowIpc.fromBytes(bytes)) {
                assertEquals(0, back.rowCount());
                assertEquals(t.schema(), back.schema());
                assertTrue(back.toRecords(Person.class).isEmpty());
            }
        }
        assertThrows(IllegalArgumentException.class, () -> Table.fromRecords(List.<Person>of()));
    }

    @Test
    void fromColumnsInfersTypesAndKeepsNulls() {
        Map<String, List<?>> cols = new LinkedHashMap<>();
        cols.put("id", Arrays.asList(1, 2L, null));
        cols.put("x", Arrays.asList(1.5, 2, null));
        cols.put("name", Arrays.asList("a", null, "c"));
        cols.put("nothing", Arrays.asList(null, null, null));
        cols.put("day", Arrays.asList(LocalDate.of(2020, 1, 1), null, null));
        try (Table t = Table.fromColumns(cols, alloc)) {
            assertEquals(3, t.rowCount());
            assertEquals("int64", Render.typeName(t.columnType(0)));
            assertEquals("float64", Render.typeName(t.columnType(1)));
            assertEquals("string", Render.typeName(t.columnType(2)));
            assertEquals("null", Render.typeName(t.columnType(3)));
            assertEquals(Arrays.asList(1L, 2L, null), t.column("id"));
            assertEquals(Arrays.asList(1.5, 2.0, null), t.column("x"));
            assertEquals(Arrays.asList("a", null, "c"), t.column("NAME"));
            assertEquals(Arrays.asList(null, null, null), t.column("nothing"));
            Row r = t.row(0);
            assertEquals(1, r.getInt("id"));
            assertEquals(1L, r.getLong(0));
            assertEquals("a", r.getString("name"));
            assertEquals(LocalDate.of(2020, 1, 1), r.getLocalDate("day"));
            assertTrue(t.row(2).isNull("id"));
            assertThrows(NullPointerException.class, () -> t.row(2).getInt("id"));
            int seen = 0;
            for (Row row : t) {
                assertEquals(seen++, row.index());
            }
            assertEquals(3, seen);
            try (Table back = ArrowIpc.fromBytes(ArrowIpc.toBytes(t))) {
                assertEquals(Arrays.asList(null, null, null), back.column("nothing"));
                assertEquals(t.toString(), back.toString());
            }
        }
        Map<String, List<?>> bad = new LinkedHashMap<>();
        bad.put("a", List.of(1, 2));
        bad.put("b", List.of(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Table.fromColumns(bad, alloc));
        assertTrue(e.getMessage().contains("'b' has 1 values"), e.getMessage());
        IllegalArgumentException mixed = assertThrows(IllegalArgumentException.class,
                () -> Table.fromColumns(Map.of("m", List.of(1, "x")), alloc));
        assertTrue(mixed.getMessage().contains("mixes"), mixed.getMessage());
    }

    @Test
    void toRecordsErrorsAreClear() {
        try (Table t = Table.fromColumns(new LinkedHashMap<>(Map.of("name", Arrays.asList("a", "b"),
                "age", Arrays.asList(1, null))), alloc)) {
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                    () -> t.toRecords(Missing.class));
            assertTrue(missing.getMessage().contains("'height' has no column"), missing.getMessage());
            IllegalArgumentException wrong = assertThrows(IllegalArgumentException.class, () -> t.toRecords(Wrong.class));
            assertTrue(wrong.getMessage().contains("'age' (String) cannot be read from column 'age' of type int32"),
                    wrong.getMessage());
            IllegalArgumentException nul = assertThrows(IllegalArgumentException.class, () -> t.toRecords(Person.class));
            assertTrue(nul.getMessage().contains("null at row 1"), nul.getMessage());
        }
        try (Table t = Table.fromRecords(List.of(new Person("a", 1000)), alloc)) {
            IllegalArgumentException narrow = assertThrows(IllegalArgumentException.class,
                    () -> t.toRecords(Narrow.class));
            assertTrue(narrow.getMessage().contains("does not fit byte"), narrow.getMessage());
        }
    }

    @Test
    void textRenderingIsAlignedAndTruncated() {
        try (Table small = Table.fromRecords(List.of(new Person("alice", 30), new Person("bob", 7)))) {
            String s = small.toString();
            String expected = String.join("\n",
                    "  │ name   │ age",
                    "  │ string │ int32",
                    "──┼────────┼──────",
                    "0 │ alice  │    30",
                    "1 │ bob    │     7",
                    "[2 rows × 2 columns]");
            assertEquals(expected, s);
        }
        List<Person> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(new Person("p" + i, i));
        }
        try (Table t = Table.fromRecords(many)) {
            String s = t.toString();
            assertTrue(s.contains("p0 "), s);
            assertTrue(s.contains("p9 "), s);
            assertFalse(s.contains("p10 "), s);
            assertTrue(s.contains("p999"), s);
            assertTrue(s.contains("…"), s);
            assertTrue(s.endsWith("[1,000 rows × 2 columns (showing 20)]"), s);
        }
    }

    @Test
    void htmlIsEscapedWithCaptionAndHeadTail() {
        List<Person> many = new ArrayList<>();
        many.add(new Person("<script>alert('x')</script> & co", 1));
        for (int i = 1; i < 100; i++) {
            many.add(new Person("p" + i, i));
        }
        try (Table t = Table.fromRecords(many)) {
            String h = t.toHtml(10);
            assertTrue(h.startsWith("<table"), h);
            assertTrue(h.contains("<caption>100 rows × 2 columns (showing 10)</caption>"), h);
            assertTrue(h.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; co"), h);
            assertFalse(h.contains("<script>"), h);
            assertTrue(h.contains("<th>4</th>"), h);
            assertFalse(h.contains("<th>5</th>"), h);
            assertTrue(h.contains("… 90 more rows …"), h);
            assertTrue(h.contains("<th>95</th>"), h);
            assertTrue(h.contains("<th>99</th>"), h);
            assertTrue(h.contains("<th title=\"int32\">age</th>"), h);
            String all = t.toHtml(1000);
            assertFalse(all.contains("more rows"));
            assertTrue(all.contains("<caption>100 rows × 2 columns</caption>"));
        }
        Map<String, List<?>> cols = new LinkedHashMap<>();
        cols.put("v", Arrays.asList((Object) null));
        try (Table t = Table.fromColumns(cols)) {
            assertTrue(t.toHtml(5).contains("<td class=\"null\"><i>null</i></td>"));
        }
    }

    @Test
    void memoryIsReleasedOnClose() throws Exception {
        Table t = Table.fromRecords(Everything.class, everything(10_000), alloc);
        assertTrue(alloc.getAllocatedMemory() > 0);
        assertTrue(t.allocatedBytes() > 0);
        byte[] bytes = ArrowIpc.toBytes(t);
        t.close();
        t.close(); // idempotent
        assertEquals(0, alloc.getAllocatedMemory());
        assertTrue(t.isClosed());
        assertThrows(IllegalStateException.class, () -> t.column("i32"));
        assertEquals("Table[closed]", t.toString());
        Table back = ArrowIpc.read(new ByteArrayInputStream(bytes), alloc);
        assertEquals(10_000, back.rowCount());
        back.close();
        assertEquals(0, alloc.getAllocatedMemory());
    }

    @Test
    void rowGettersConvert() {
        try (Table t = Table.fromRecords(everything(5), alloc)) {
            Row r = t.row(4);
            assertEquals(4, r.getInt("i32"));
            assertEquals(4.0, r.getDouble("i32"));
            assertEquals(new BigDecimal("4.25"), r.getBigDecimal("dec"));
            assertArrayEquals(new byte[] {4, 2, 3}, r.getBytes("bin"));
            assertEquals(LocalTime.of(12, 30, 15, 123_456_000), r.getLocalTime("time"));
            assertEquals(Instant.parse("2024-03-01T00:00:04.000001Z"), r.getInstant("instant"));
            assertEquals("RED", r.getString("color"));
            assertEquals("GREEN", t.row(1).getString("color"));
            assertNull(t.row(3).get("s"));
            assertThrows(IllegalArgumentException.class, () -> r.get("nope"));
        }
    }
}

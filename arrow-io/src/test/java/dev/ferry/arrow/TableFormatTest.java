package dev.ferry.arrow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The one table renderer: Tables, lists of records and maps of column lists, by the same rules. */
class TableFormatTest {
    enum Mood { CALM, LOUD }

    record Mixed(boolean ok, byte b, int i, long l, float f, double d, String s, BigDecimal money, LocalDate day,
                 LocalTime at, LocalDateTime when, Instant stamp, Integer maybe, Mood mood, char c) {}

    record Person(String name, int age) {}

    static final AtomicLong READS = new AtomicLong();

    /** A record whose accessor counts how often it is read. */
    record Counted(int id, String label) {
        @Override
        public String label() {
            READS.incrementAndGet();
            return label;
        }
    }

    record Fragile(int id) {
        @Override
        public int id() {
            if (id == 1) {
                throw new IllegalStateException("boom");
            }
            return id;
        }
    }

    record Nested(String name, List<String> tags) {}

    private static List<Mixed> mixed(int n) {
        List<Mixed> out = new ArrayList<>();
        for (int k = 0; k < n; k++) {
            out.add(new Mixed(k % 2 == 0, (byte) k, k * 3, k * 1_000_000_007L, k / 4f, k / 3.0, "s<" + k + ">",
                    k % 3 == 0 ? new BigDecimal("1.5") : new BigDecimal(k + ".125"), LocalDate.of(2024, 1, 1).plusDays(k),
                    LocalTime.of(12, 0, 0, 123_456_789), LocalDateTime.of(2024, 5, 6, 7, 8, 9, 999_999_999),
                    Instant.ofEpochSecond(1_700_000_000L + k, 5), k % 5 == 0 ? null : k, Mood.values()[k % 2],
                    (char) ('a' + k % 26)));
        }
        return out;
    }

    @Test
    void aListOfRecordsLooksExactlyLikeTheTableOfTheSameRows() {
        for (int n : new int[] {1, 3, 20, 21, 1000}) {
            List<Mixed> rows = mixed(n);
            try (Table t = Table.fromRecords(rows)) {
                assertEquals(TableFormat.DEFAULT.bundle(TableView.of(t)), TableFormat.DEFAULT.bundle(TableView.ofRecords(rows)),
                        n + " rows");
                assertEquals(t.toString(), TableFormat.DEFAULT.text(TableView.ofRecords(rows)));
            }
        }
        String text = TableFormat.DEFAULT.text(TableView.ofRecords(mixed(3)));
        assertTrue(text.contains("decimal(38,3)") && text.contains("1.500") && text.contains("1.125"), text);
        assertTrue(text.contains("CALM") && text.contains("12:00:00.123456 "), text);
    }

    @Test
    void aMapOfColumnListsLooksLikeTableFromColumns() {
        Map<String, List<?>> cols = new LinkedHashMap<>();
        cols.put("city", List.of("Lisbon", "Porto", "Braga"));
        cols.put("n", Arrays.asList(1, 2L, null));
        cols.put("x", List.of(1, 2.5, 3)); // mixed numbers: float64, so 1 shows as 1.0
        cols.put("price", List.of(new BigDecimal("1.5"), new BigDecimal("2.25"), BigDecimal.ONE));
        try (Table t = Table.fromColumns(cols)) {
            assertEquals(TableFormat.DEFAULT.bundle(TableView.of(t)), TableFormat.DEFAULT.bundle(TableView.ofColumns(cols)));
        }
        String text = TableFormat.DEFAULT.text(TableView.ofColumns(cols));
        assertEquals(String.join("\n",
                "  │ city   │ n     │ x       │ price",
                "  │ string │ int64 │ float64 │ decimal(38,2)",
                "──┼────────┼───────┼─────────┼──────────────",
                "0 │ Lisbon │     1 │     1.0 │          1.50",
                "1 │ Porto  │     2 │     2.5 │          2.25",
                "2 │ Braga  │  null │     3.0 │          1.00",
                "[3 rows × 4 columns]"), text);
        Map<String, List<?>> odd = new LinkedHashMap<>();
        odd.put("what", List.of(new Person("a", 1), "text"));
        assertTrue(TableFormat.DEFAULT.text(TableView.ofColumns(odd)).contains("│ object"), "no Arrow type: object");
        Map<String, List<?>> ragged = new LinkedHashMap<>();
        ragged.put("a", List.of(1, 2));
        ragged.put("b", List.of(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TableView.ofColumns(ragged));
        assertTrue(e.getMessage().contains("column 'b' has 1 values but earlier columns have 2"), e.getMessage());
    }

    @Test
    void theShapeIsAlwaysShownInTextAndHtml() {
        List<Person> one = List.of(new Person("Ada", 36));
        Map<String, Object> b = TableFormat.DEFAULT.bundle(TableView.ofRecords(one));
        assertTrue(((String) b.get("text/plain")).endsWith("\n[1 row × 2 columns]"), (String) b.get("text/plain"));
        assertTrue(((String) b.get("text/html")).contains("<caption>1 row × 2 columns</caption>"), (String) b.get("text/html"));
        assertTrue(((String) b.get("text/html")).contains("<tr><th>0</th><td>Ada</td><td>36</td></tr>"));
        try (Table empty = Table.fromRecords(Person.class, List.of())) {
            assertTrue(empty.toString().endsWith("[0 rows × 2 columns]"), empty.toString());
            assertTrue(empty.toHtml().contains("<caption>0 rows × 2 columns</caption>"), empty.toHtml());
        }
    }

    @Test
    void longTablesShowTheirFirstAndLastRows() {
        List<Person> people = new ArrayList<>();
        for (int k = 0; k < 1000; k++) {
            people.add(new Person("p" + k, k));
        }
        Map<String, Object> b = TableFormat.DEFAULT.bundle(TableView.ofRecords(people));
        String text = (String) b.get("text/plain");
        List<String> lines = text.lines().toList();
        assertEquals(3 + 10 + 1 + 10 + 1, lines.size(), text);
        assertEquals("  0 │ p0     │     0", lines.get(3));
        assertEquals("  9 │ p9     │     9", lines.get(12));
        assertEquals("  … │ …      │     …", lines.get(13));
        assertEquals("990 │ p990   │   990", lines.get(14));
        assertEquals("999 │ p999   │   999", lines.get(23));
        assertEquals("[1,000 rows × 2 columns (showing 20)]", lines.get(24));
        String html = (String) b.get("text/html");
        assertTrue(html.contains("<caption>1,000 rows × 2 columns (showing 20)</caption>"), html);
        assertTrue(html.contains("<td>p9</td>") && !html.contains("<td>p10</td>"), html);
        assertTrue(html.contains("<td colspan=\"2\">… 980 more rows …</td>"), html);
        assertTrue(html.contains("<tr><th>990</th><td>p990</td>") && !html.contains("<td>p989</td>"), html);
        // a limit of 5: three first rows, two last ones
        String five = TableFormat.DEFAULT.withRows(5).text(TableView.ofRecords(people));
        assertTrue(five.contains("p2 ") && !five.contains("p3 ") && five.contains("p998") && !five.contains("p997"), five);
        assertTrue(five.endsWith("(showing 5)]"), five);
        // a LinkedList (no random access) renders the same
        assertEquals(b, TableFormat.DEFAULT.bundle(TableView.ofRecords(new LinkedList<>(people))));
    }

    @Test
    void wideTablesShowTheirFirstAndLastColumns() {
        Map<String, List<?>> cols = new LinkedHashMap<>();
        for (int c = 0; c < 30; c++) {
            cols.put("c" + c, List.of(c));
        }
        String text = TableFormat.DEFAULT.text(TableView.ofColumns(cols));
        String header = text.lines().findFirst().orElseThrow();
        assertTrue(header.matches(".*│ c9 +│ … │ c20 +│.*"), header);
        assertFalse(header.contains("c10") || header.contains("c19"), header);
        assertTrue(text.endsWith("[1 row × 30 columns (showing 20 columns)]"), text);
        String html = TableFormat.DEFAULT.html(TableView.ofColumns(cols));
        assertTrue(html.contains("<th title=\"int32\">c9</th><th>…</th><th title=\"int32\">c20</th>"), html);
        assertTrue(html.contains("<td>9</td><td>…</td><td>20</td>"), html);
        List<Object> many = new ArrayList<>();
        for (int r = 0; r < 100; r++) {
            many.add(r);
        }
        Map<String, List<?>> big = new LinkedHashMap<>();
        for (int c = 0; c < 30; c++) {
            big.put("c" + c, many);
        }
        assertTrue(TableFormat.DEFAULT.html(TableView.ofColumns(big))
                .contains("<caption>100 rows × 30 columns (showing 20 rows, 20 columns)</caption>"));
    }

    @Test
    void cellsAreOneLineOfAtMostTheCellWidthInTextAndHtml() {
        String longName = "x".repeat(200);
        List<Person> rows = List.of(new Person("a\nb\tc", 1), new Person(longName, 2), new Person("<b>&'\"", 3));
        Map<String, Object> b = TableFormat.DEFAULT.bundle(TableView.ofRecords(rows));
        String text = (String) b.get("text/plain");
        String html = (String) b.get("text/html");
        assertEquals(3 + 3 + 1, text.lines().count(), text);
        assertTrue(text.contains("a\\nb\\tc"), text);
        String cut = "x".repeat(TableFormat.DEFAULT.cellWidth() - 1) + "…";
        assertTrue(text.contains(cut + " │") && !text.contains("x".repeat(TableFormat.DEFAULT.cellWidth())), text);
        assertTrue(html.contains("<td>" + cut + "</td>"), html);
        assertTrue(html.contains("<td>&lt;b&gt;&amp;&#39;&quot;</td>") && !html.contains("<b>"), html);
        TableFormat narrow = new TableFormat(20, 20, 4);
        assertTrue(narrow.text(TableView.ofRecords(rows)).contains("xxx…"));
    }

    @Test
    void aMillionRecordsRenderFromTheirFirstAndLastRowsOnly() {
        List<Counted> million = new ArrayList<>(1_000_000);
        for (int k = 0; k < 1_000_000; k++) {
            million.add(new Counted(k, "r" + k));
        }
        Map<String, Object> b = null;
        for (int run = 1; run <= 3; run++) { // the first run includes class loading; printed, not asserted
            READS.set(0);
            long t0 = System.nanoTime();
            b = TableFormat.DEFAULT.bundle(TableView.ofRecords(million));
            long micros = (System.nanoTime() - t0) / 1_000;
            System.out.printf("rendering 1,000,000 records (text/plain + text/html), run %d: %,d µs%n", run, micros);
            assertEquals(20, READS.get(), "only the 20 rows shown are read");
        }
        String text = (String) b.get("text/plain");
        assertTrue(text.endsWith("[1,000,000 rows × 2 columns (showing 20)]"), text);
        assertTrue(text.contains("│ r9\n") && text.contains("\n999999 │ 999999 │ r999999\n"), text);
        assertFalse(text.contains("r10\n"), text);
        String html = (String) b.get("text/html");
        assertTrue(html.contains("… 999,980 more rows …") && html.contains("<td>r999990</td>"), html);
    }

    @Test
    void aCellThatCannotBeReadSaysWhyAndTheRestIsShown() {
        String text = TableFormat.DEFAULT.text(TableView.ofRecords(List.of(new Fragile(0), new Fragile(1))));
        assertTrue(text.contains("<java.lang.IllegalStateException: boom>"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("0 │ +0")), text);
    }

    @Test
    void valuesWithoutAnArrowTypeAreSpelledOutShortly() {
        List<String> tags = new ArrayList<>();
        for (int k = 0; k < 1000; k++) {
            tags.add("t" + k);
        }
        String text = TableFormat.DEFAULT.text(TableView.ofRecords(List.of(new Nested("a", List.of("x", "y")),
                new Nested("b", tags))));
        assertTrue(text.contains("│ List"), text);
        assertTrue(text.contains("│ [x, y]"), text);
        assertTrue(text.contains("│ [t0, t1, t2, "), text);
        assertTrue(text.lines().allMatch(l -> l.length() < 100), text);
    }

    @Test
    void aFormatNeedsRoomForOneRowColumnAndCharacter() {
        assertThrows(IllegalArgumentException.class, () -> new TableFormat(0, 20, 50));
        assertThrows(IllegalArgumentException.class, () -> new TableFormat(20, 0, 50));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new TableFormat(20, 20, 1));
        assertTrue(e.getMessage().contains("cellWidth at least 2"), e.getMessage());
    }
}

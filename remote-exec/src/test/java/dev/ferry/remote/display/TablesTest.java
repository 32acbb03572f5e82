package dev.ferry.remote.display;

import dev.ferry.arrow.Table;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.*;

/** Records, lists of records, column maps and Arrow tables through the registry: one renderer, one look. */
class TablesTest {
    record Person(String name, int age) {}

    record Other(int v) {}

    private final Renderers r = Renderers.withDefaults();

    private static List<Person> people(int n) {
        List<Person> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new Person("p" + i, i));
        }
        return out;
    }

    @Test
    void aListOfRecordsIsShownExactlyLikeTheArrowTableOfItsRows() {
        for (int n : new int[] {2, 20, 21, 1000, 5000}) {
            List<Person> rows = people(n);
            try (Table t = Table.fromRecords(rows)) {
                assertEquals(r.render(t), r.render(rows), n + " rows");
            }
        }
    }

    @Test
    void aListOfRecordsShowsItsShapeAndAlignedTextWithTypes() {
        Map<String, Object> b = r.render(List.of(new Person("Ada", 36), new Person("Grace", 85)));
        String html = (String) b.get("text/html");
        assertTrue(html.startsWith("<table class=\"ferry-table\">"), html);
        assertTrue(html.contains("<caption>2 rows × 2 columns</caption>"), html);
        assertTrue(html.contains("<th title=\"string\">name</th><th title=\"int32\">age</th>"), html);
        assertTrue(html.contains("<tr><th>0</th><td>Ada</td><td>36</td></tr>"), html);
        assertTrue(html.contains("<tr><th>1</th><td>Grace</td><td>85</td></tr>"), html);
        assertEquals("""
                  │ name   │ age
                  │ string │ int32
                ──┼────────┼──────
                0 │ Ada    │    36
                1 │ Grace  │    85
                [2 rows × 2 columns]""", b.get("text/plain"));
    }

    @Test
    void oneRecordIsATableOfOneRowWithItsOwnText() {
        Map<String, Object> b = r.render(new Person("Ada", 36));
        assertEquals("Person[name=Ada, age=36]", b.get("text/plain"));
        String html = (String) b.get("text/html");
        assertTrue(html.contains("<tr><th>0</th><td>Ada</td><td>36</td></tr>"), html);
        assertTrue(html.contains("<caption>1 row × 2 columns</caption>"), html);
    }

    @Test
    void cellsAreEscaped() {
        Map<String, Object> b = r.render(List.of(new Person("<script>alert('x')</script> & \"q\"", 1)));
        String html = (String) b.get("text/html");
        assertFalse(html.contains("<script>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"), html);
    }

    @Test
    void mixedOrEmptyCollectionsAreNotTables() {
        assertEquals(Map.of("text/plain", "[Person[name=a, age=1], Other[v=2]]"),
                r.render(List.of(new Person("a", 1), new Other(2))));
        assertEquals(Map.of("text/plain", "[]"), r.render(List.of()));
        assertEquals(Map.of("text/plain", "[Person[name=a, age=1], x]"), r.render(List.of(new Person("a", 1), "x")));
        assertEquals(Map.of("text/plain", "[Person[name=a, age=1], null]"),
                r.render(Arrays.asList(new Person("a", 1), null)));
    }

    @Test
    void setsAndArraysOfRecordsAreTablesToo() {
        assertTrue(((String) r.render(Set.of(new Person("a", 1))).get("text/html")).contains("<td>a</td>"));
        assertEquals(r.render(List.of(new Person("a", 1), new Person("b", 2))),
                r.render(new Person[] {new Person("a", 1), new Person("b", 2)}));
    }

    @Test
    void longListsShowTheirFirstAndLastRowsWithTheShape() {
        Map<String, Object> b = r.render(people(1000));
        String html = (String) b.get("text/html");
        assertTrue(html.contains("<caption>1,000 rows × 2 columns (showing 20)</caption>"), html);
        assertEquals(21, html.split("<tr", -1).length - 2, "20 rows and a gap row (the header row is not counted)");
        assertTrue(html.contains("<td>p9</td>") && !html.contains("<td>p10</td>"), html);
        assertTrue(html.contains("<td>p990</td>") && html.contains("<td>p999</td>") && !html.contains("<td>p989</td>"));
        assertTrue(html.contains("… 980 more rows …"), html);
        String text = (String) b.get("text/plain");
        assertTrue(text.endsWith("[1,000 rows × 2 columns (showing 20)]"), text);
        assertEquals(3 + 20 + 1 + 1, text.split("\n").length, text);
    }

    @Test
    void aMillionRecordsShowHeadAndTailAtOnce() {
        List<Person> million = people(1_000_000);
        Map<String, Object> b = null;
        for (int run = 1; run <= 3; run++) { // printed, not asserted: the first run includes class loading
            long t0 = System.nanoTime();
            b = r.render(million);
            System.out.printf("display of 1,000,000 records, run %d: %,d µs%n", run, (System.nanoTime() - t0) / 1000);
        }
        String text = (String) b.get("text/plain");
        assertTrue(text.endsWith("[1,000,000 rows × 2 columns (showing 20)]"), text);
        assertTrue(text.contains("\n999999 │ p999999 │ 999999"), text);
        String html = (String) b.get("text/html");
        assertTrue(html.contains("<tr><th>999990</th><td>p999990</td><td>999990</td></tr>"), html);
        assertTrue(html.contains("… 999,980 more rows …") && html.length() < 5_000, html);
    }

    @Test
    void longCellsAreCutAndNewlinesKeptOutOfRows() {
        Map<String, Object> b = r.render(List.of(new Person("a\nb" + "z".repeat(2000), 1)));
        String text = (String) b.get("text/plain");
        assertEquals(3 + 1 + 1, text.split("\n").length, text);
        assertTrue(text.contains("a\\nbzzz") && text.contains("z…"), text);
        assertTrue(text.length() < 300, text);
    }

    @Test
    void aMapOfColumnListsIsTheTableOfThoseColumns() {
        Map<String, List<?>> cols = new LinkedHashMap<>();
        cols.put("city", List.of("Lisbon", "Porto"));
        cols.put("people", List.of(545_000, 232_000));
        try (Table t = Table.fromColumns(cols)) {
            assertEquals(r.render(t), r.render(cols));
        }
        String html = (String) r.render(cols).get("text/html");
        assertTrue(html.contains("<caption>2 rows × 2 columns</caption>")
                && html.contains("<tr><th>1</th><td>Porto</td><td>232000</td></tr>"), html);
        Map<String, List<Integer>> sorted = new TreeMap<>(Map.of("b", List.of(2), "a", List.of(1)));
        assertTrue(((String) r.render(sorted).get("text/plain")).startsWith("  │ a     │ b"), "keys in map order");
        // not column maps: shown as maps
        assertEquals(Map.of("text/plain", "{a=[1, 2], b=[3]}"), r.render(new TreeMap<>(Map.of("a", List.of(1, 2),
                "b", List.of(3)))));
        assertEquals(Map.of("text/plain", "{a=1}"), r.render(Map.of("a", 1)));
        assertEquals(Map.of("text/plain", "{1=[x]}"), r.render(Map.of(1, List.of("x"))));
        assertEquals(Map.of("text/plain", "{}"), r.render(Map.of()));
    }

    @Test
    void aClosedTableIsShownAsClosed() {
        Table t = Table.fromRecords(people(2));
        t.close();
        assertEquals(Map.of("text/plain", "Table[closed]"), r.render(t));
    }
}

package dev.ferry.remote.display;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class RecordTableTest {
    record Person(String name, int age) {}

    record Other(int v) {}

    private final Renderers r = Renderers.withDefaults();

    @Test
    void aListOfRecordsIsAnHtmlTableWithAlignedText() {
        Map<String, Object> b = r.render(List.of(new Person("Ada", 36), new Person("Grace", 85)));
        String html = (String) b.get("text/html");
        assertTrue(html.startsWith("<table"), html);
        assertTrue(html.contains("<th>name</th><th>age</th>"), html);
        assertTrue(html.contains("<tr><th>0</th><td>Ada</td><td>36</td></tr>"), html);
        assertTrue(html.contains("<tr><th>1</th><td>Grace</td><td>85</td></tr>"), html);
        assertEquals("""
                   name   age
                0  Ada     36
                1  Grace   85""", b.get("text/plain"));
    }

    @Test
    void oneRecordIsATableOfOneRowWithoutIndex() {
        Map<String, Object> b = r.render(new Person("Ada", 36));
        assertEquals("Person[name=Ada, age=36]", b.get("text/plain"));
        assertTrue(((String) b.get("text/html")).contains("<tr><td>Ada</td><td>36</td></tr>"));
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
    }

    @Test
    void setsAndArraysOfRecordsAreTablesToo() {
        assertTrue(r.render(Set.of(new Person("a", 1))).containsKey("text/html"));
        assertTrue(r.render(new Person[] {new Person("a", 1)}).containsKey("text/html"));
    }

    @Test
    void longTablesShowHeadAndTailWithACount() {
        List<Person> people = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            people.add(new Person("p" + i, i));
        }
        Map<String, Object> b = r.render(people);
        String html = (String) b.get("text/html");
        int rows = html.split("<tr>", -1).length - 1;
        assertEquals(2 * Limits.HEAD_TAIL_ROWS + 1, rows, "head, ellipsis row, tail (the header row has a style)");
        assertTrue(html.contains("<td>p9</td>") && !html.contains("<td>p10</td>"), html);
        assertTrue(html.contains("<td>p4990</td>") && html.contains("<td>p4999</td>") && !html.contains("<td>p4989</td>"));
        assertTrue(html.contains("5000 rows in all"), html);
        String text = (String) b.get("text/plain");
        assertTrue(text.contains("\n…") && text.endsWith("(5000 rows in all; showing the first and last 10)"), text);
        assertEquals(1 + 20 + 1 + 1, text.split("\n").length);

        List<Person> thousand = people.subList(0, Limits.MAX_TABLE_ROWS);
        String all = (String) r.render(new ArrayList<>(thousand)).get("text/html");
        assertTrue(all.contains("<td>p999</td>") && all.contains("<td>p500</td>"));
    }

    @Test
    void longCellsAreCutAndNewlinesKeptOutOfRows() {
        Map<String, Object> b = r.render(List.of(new Person("a\nb" + "z".repeat(2000), 1)));
        String text = (String) b.get("text/plain");
        assertEquals(2, text.split("\n").length, text);
        assertTrue(text.length() < 2 * Limits.MAX_CELL + 100, text);
    }
}

package dev.ferry.remote.display;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class RenderersTest {
    record Point(int x, int y) {}

    @Test
    void stringsAndNumbersArePlainText() {
        Renderers r = Renderers.withDefaults();
        assertEquals(Map.of("text/plain", "abc"), r.render("abc"));
        assertEquals(Map.of("text/plain", "42"), r.render(42));
        assertEquals(Map.of("text/plain", "2.5"), r.render(2.5));
        assertEquals(Map.of("text/plain", "null"), r.render(null));
        assertEquals(Map.of("text/plain", "true"), r.render(true));
    }

    @Test
    void hugeTextIsCutWithANote() {
        String s = "x".repeat(Limits.MAX_TEXT + 5000);
        assertEquals(Map.of("text/plain", "x".repeat(Limits.MAX_TEXT)), Renderers.withDefaults().render("x".repeat(Limits.MAX_TEXT)));
        String out = (String) Renderers.withDefaults().render(s).get("text/plain");
        assertTrue(out.length() < Limits.MAX_TEXT + 200, "length " + out.length());
        assertTrue(out.endsWith("(output truncated: " + s.length() + " characters in all)"), out.substring(out.length() - 80));
    }

    @Test
    void collectionsAndMapsShowTheFirstItemsAndACount() {
        Renderers r = Renderers.withDefaults();
        assertEquals("[1, 2, 3]", r.render(List.of(1, 2, 3)).get("text/plain"));
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("a", 1);
        m.put("b", 2);
        assertEquals("{a=1, b=2}", r.render(m).get("text/plain"));

        List<Integer> big = new ArrayList<>();
        for (int i = 0; i < 1_000_000; i++) {
            big.add(i);
        }
        String text = (String) r.render(big).get("text/plain");
        assertTrue(text.startsWith("[0, 1, 2,"), text);
        assertTrue(text.endsWith(", 99, … (999900 more)]"), text);
        assertTrue(text.length() < 1000, text);

        Map<Integer, Integer> bigMap = new LinkedHashMap<>();
        for (int i = 0; i < 500; i++) {
            bigMap.put(i, i);
        }
        assertTrue(((String) r.render(bigMap).get("text/plain")).endsWith("99=99, … (400 more)}"));
    }

    @Test
    void nestedCollectionsAreCutToo() {
        List<List<Integer>> nested = List.of(java.util.stream.IntStream.range(0, 300).boxed().toList());
        String text = (String) Renderers.withDefaults().render(nested).get("text/plain");
        assertTrue(text.endsWith("… (200 more)]]"), text);
    }

    @Test
    void arraysAreSpelledOut() {
        Renderers r = Renderers.withDefaults();
        assertEquals("[1, 2, 3]", r.render(new int[] {1, 2, 3}).get("text/plain"));
        assertEquals("[a, b]", r.render(new String[] {"a", "b"}).get("text/plain"));
        assertEquals("[[1, 2], [3]]", r.render(new int[][] {{1, 2}, {3}}).get("text/plain"));
        assertEquals("[true, false]", r.render(new boolean[] {true, false}).get("text/plain"));
        String big = (String) r.render(new double[10_000]).get("text/plain");
        assertTrue(big.endsWith("… (9900 more)]"), big);
    }

    @Test
    void mostSpecificTypeWins() {
        Renderers r = Renderers.empty();
        r.register(Collection.class, c -> Map.of("text/plain", "collection"));
        r.register(ArrayList.class, c -> Map.of("text/plain", "arraylist"));
        r.register(List.class, c -> Map.of("text/plain", "list"));
        assertEquals("arraylist", r.render(new ArrayList<>()).get("text/plain"));
        assertEquals("list", r.render(List.of()).get("text/plain"));
        assertEquals("collection", r.render(new java.util.HashSet<>()).get("text/plain"));
        assertEquals("x", r.render("x").get("text/plain")); // Object fallback
    }

    @Test
    void aLaterRegistrationForTheSameTypeWins() {
        Renderers r = Renderers.withDefaults();
        r.register(Integer.class, i -> Map.of("text/plain", "first"));
        r.register(Integer.class, i -> Map.of("text/plain", "second"));
        assertEquals("second", r.render(7).get("text/plain"));
        assertTrue(r.unregister(Integer.class));
        assertEquals("7", r.render(7).get("text/plain"));
    }

    @Test
    void userRendererForARecordBeatsTheBuiltInTable() {
        Renderers r = Renderers.withDefaults();
        r.register(Point.class, p -> Map.of("text/html", "<b>" + p.x() + "</b>"));
        Map<String, Object> b = r.render(new Point(1, 2));
        assertEquals("<b>1</b>", b.get("text/html"));
        assertEquals("Point[x=1, y=2]", b.get("text/plain"), "text/plain is added when a renderer leaves it out");
    }

    @Test
    void aRendererCanDeclineAndAFailingOneIsSkipped() {
        Renderers r = Renderers.withDefaults();
        r.register(String.class, s -> s.startsWith("<") ? Map.of("text/html", s) : null);
        assertEquals(Map.of("text/plain", "plain"), r.render("plain"));
        assertEquals("<i>x</i>", r.render("<i>x</i>").get("text/html"));
        r.register(Long.class, l -> { throw new IllegalStateException("boom"); });
        assertEquals(Map.of("text/plain", "5"), r.render(5L));
    }

    @Test
    void arrayTypesAreMatchedBeforeObject() {
        Renderers r = Renderers.empty();
        r.register(Object[].class, a -> Map.of("text/plain", "objects"));
        r.register(CharSequence[].class, a -> Map.of("text/plain", "chars"));
        r.register(int[].class, a -> Map.of("text/plain", "ints"));
        assertEquals("objects", r.render(new Integer[0]).get("text/plain"));
        assertEquals("chars", r.render(new StringBuilder[0]).get("text/plain"));
        assertEquals("ints", r.render(new int[0]).get("text/plain"));
    }

    @Test
    void userBundlesAreCutToo() {
        Renderers r = Renderers.withDefaults();
        r.register(Point.class, p -> Map.of("text/html", "y".repeat(Limits.MAX_TEXT * 2),
                "image/png", "A".repeat((int) (Limits.MAX_IMAGE_BYTES * 4 / 3) + 100)));
        Map<String, Object> b = r.render(new Point(1, 1));
        assertTrue(((String) b.get("text/html")).contains("output truncated"));
        assertFalse(b.containsKey("image/png"));
        assertTrue(((String) b.get("text/plain")).contains("over the 10 MB limit"), (String) b.get("text/plain"));
    }
}

package dev.ferry.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class HistoryTest {
    @TempDir
    Path dir;

    private static History.Request tail(Integer n, boolean output) {
        return new History.Request("tail", n, 0, null, null, null, false, output);
    }

    private static History.Request search(String pattern, Integer n, boolean unique) {
        return new History.Request("search", n, 0, null, null, pattern, unique, false);
    }

    private static History.Request range(long session, Integer start, Integer stop) {
        return new History.Request("range", null, session, start, stop, null, false, false);
    }

    private static List<String> sources(JsonArray h) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : h) {
            out.add(e.getAsJsonArray().get(2).getAsString());
        }
        return out;
    }

    @Test
    void outputTrueGivesInputAndOutputPairsWithNullWhereACellHadNoResult() {
        try (History h = new History(dir)) {
            h.record(1, "int a = 1;");
            h.record(2, "a + 1");
            h.recordOutput(2, "2");
            JsonArray plain = h.query(tail(10, false));
            assertEquals(3, plain.get(1).getAsJsonArray().size());
            assertEquals("a + 1", plain.get(1).getAsJsonArray().get(2).getAsString());
            JsonArray pairs = h.query(tail(10, true));
            JsonArray first = pairs.get(0).getAsJsonArray().get(2).getAsJsonArray();
            JsonArray second = pairs.get(1).getAsJsonArray().get(2).getAsJsonArray();
            assertEquals("int a = 1;", first.get(0).getAsString());
            assertTrue(first.get(1).isJsonNull(), first.toString());
            assertEquals("a + 1", second.get(0).getAsString());
            assertEquals("2", second.get(1).getAsString());
        }
    }

    @Test
    void searchWithoutNGivesEveryMatchAndUniqueKeepsTheLatestOfEachSource() {
        try (History h = new History(dir)) {
            for (int i = 1; i <= 12; i++) {
                h.record(i, i % 2 == 0 ? "x" : "y" + i);
            }
            assertEquals(12, h.query(search("*", null, false)).size(), "ipykernel: no n, no limit");
            assertEquals(12, h.query(search("*", 0, false)).size(), "0 (what %history -g sends): no limit");
            assertEquals(3, h.query(search("*", 3, false)).size());
            JsonArray unique = h.query(search("x", null, true));
            assertEquals(1, unique.size(), unique.toString());
            assertEquals(12, unique.get(0).getAsJsonArray().get(1).getAsInt(), "the latest line of the source");
            assertEquals(List.of("y9", "y11", "x"), sources(h.query(search("*", 3, true))));
        }
    }

    @Test
    void tailDefaultsToTenAndRangeStopIsExclusiveAndNegativeCountsFromTheEnd() {
        try (History h = new History(dir)) {
            for (int i = 1; i <= 12; i++) {
                h.record(i, "c" + i);
            }
            assertEquals(10, h.query(tail(null, false)).size());
            assertEquals(List.of("c2", "c3"), sources(h.query(range(0, 2, 4))));
            assertEquals(List.of("c11", "c12"), sources(h.query(range(0, -2, null))));
            assertEquals(List.of("c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10", "c11"),
                    sources(h.query(range(0, 1, -1))));
            assertEquals(12, h.query(range(0, null, 0)).size(), "stop 0 or absent: to the end");
        }
    }

    @Test
    void aDatabaseFromBeforeOutputsWereKeptGainsTheColumn() throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history.sqlite"));
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE sessions (session INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT)");
            s.execute("CREATE TABLE history (session INTEGER, line INTEGER, source TEXT, PRIMARY KEY (session, line))");
            s.execute("INSERT INTO sessions (started) VALUES ('then')");
            s.execute("INSERT INTO history VALUES (1, 1, 'old cell')");
        }
        try (History h = new History(dir)) {
            h.record(1, "1 + 1");
            h.recordOutput(1, "2");
            JsonArray all = h.query(new History.Request("tail", 5, 0, null, null, null, false, true));
            assertEquals(2, all.size(), all.toString());
            assertEquals("old cell", all.get(0).getAsJsonArray().get(2).getAsJsonArray().get(0).getAsString());
            assertTrue(all.get(0).getAsJsonArray().get(2).getAsJsonArray().get(1).isJsonNull());
            assertEquals("2", all.get(1).getAsJsonArray().get(2).getAsJsonArray().get(1).getAsString());
        }
    }
}

package dev.ferry.storage.sql;

import dev.ferry.magics.testkit.FakeSession;
import dev.ferry.magics.testkit.RecordingContext;
import dev.ferry.arrow.Table;
import dev.ferry.magics.MagicException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SqlMagicTest {
    @TempDir
    Path dir;
    final SqlMagic magic = new SqlMagic();
    final List<Table> tables = new ArrayList<>();

    @AfterEach
    void close() {
        magic.connections().closeAll();
        tables.forEach(Table::close);
    }

    private RecordingContext ctx(String args, String body, FakeSession s) {
        return RecordingContext.cell(magic, args, body, s);
    }

    private Table run(String args, String body, FakeSession s, RecordingContext[] keep) throws Exception {
        RecordingContext c = ctx(args, body, s);
        if (keep != null) {
            keep[0] = c;
        }
        Object r = magic.execute(c);
        if (r instanceof Table t) {
            tables.add(t);
            return t;
        }
        return null;
    }

    @Test
    void duckdbSeveralStatementsLastResultShownAndRowsAffected() throws Exception {
        FakeSession s = new FakeSession(dir);
        RecordingContext[] c = new RecordingContext[1];
        Table t = run("", """
                CREATE TABLE items(id INTEGER, name VARCHAR);
                INSERT INTO items VALUES (1, 'a'), (2, 'b;c'), (3, NULL);
                SELECT * FROM items ORDER BY id
                """, s, c);
        assertEquals(3, t.rowCount());
        assertEquals("b;c", t.column("name").get(1));
        assertNull(t.column("name").get(2));
        assertTrue(c[0].out.toString().contains("3 rows affected"), c[0].out.toString());
        // the in-memory database is kept for the next cell
        Table again = run("db=duckdb", "SELECT count(*) AS n FROM items", s, null);
        assertEquals(3L, ((Number) again.column("n").get(0)).longValue());
    }

    @Test
    void sqliteFileWithTransactionAndRelativePath() throws Exception {
        FakeSession s = new FakeSession(dir);
        RecordingContext[] c = new RecordingContext[1];
        assertNull(run("db=sqlite:test.db", """
                CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT);
                BEGIN;
                INSERT INTO t(v) VALUES ('x'), ('y');
                COMMIT;
                """, s, c));
        assertTrue(c[0].out.toString().contains("2 rows affected"), c[0].out.toString());
        assertTrue(Files.exists(dir.resolve("test.db")));
        Table t = run("db=sqlite:test.db", "SELECT v FROM t ORDER BY id", s, null);
        assertEquals(List.of("x", "y"), t.column("v"));
    }

    @Test
    void paramsAreBoundNotPasted() throws Exception {
        FakeSession s = new FakeSession(dir);
        s.set("minId", 2);
        s.set("evil", "x'); DROP TABLE t; --");
        run("db=sqlite:p.db", "CREATE TABLE t(id INTEGER, v TEXT); INSERT INTO t VALUES (1,'a'),(2,'b'),(3,'c')", s, null);
        Table t = run("db=sqlite:p.db", "SELECT v FROM t WHERE id >= :minId ORDER BY id", s, null);
        assertEquals(List.of("b", "c"), t.column("v"));
        run("db=sqlite:p.db", "INSERT INTO t VALUES (4, :evil)", s, null);
        Table u = run("db=sqlite:p.db", "SELECT v FROM t WHERE id = 4", s, null);
        assertEquals(List.of("x'); DROP TABLE t; --"), u.column("v"));
        // DuckDB too, with a later definition of the variable winning
        s.set("minId", 3);
        Table d = run("", "SELECT :minId + 1 AS n, 'keep :minId' AS s, 7::INTEGER AS c", s, null);
        assertEquals(4, ((Number) d.column("n").get(0)).intValue());
        assertEquals("keep :minId", d.column("s").get(0));
    }

    @Test
    void missingParameterNamesTheVariable() {
        FakeSession s = new FakeSession(dir);
        MagicException e = assertThrows(MagicException.class,
                () -> magic.execute(ctx("", "SELECT 1;\nSELECT :nope", s)));
        assertTrue(e.getMessage().contains(":nope") && e.getMessage().contains("'nope'"), e.getMessage());
        assertTrue(e.getMessage().contains("statement 2 of 2"), e.getMessage());
    }

    @Test
    void outBindsThroughTheSession() throws Exception {
        FakeSession s = new FakeSession(dir);
        List<Table> taken = new ArrayList<>();
        s.answer = code -> {
            var m = java.util.regex.Pattern.compile("var (\\w+) = dev\\.ferry\\.storage\\.sql\\.Results\\.take\\(\"([^\"]+)\"\\);")
                    .matcher(code);
            assertTrue(m.matches(), code);
            Table t = Results.take(m.group(2));
            taken.add(t);
            s.set(m.group(1), t);
            return null;
        };
        Table shown = run("out=res", "SELECT * FROM range(5) r(i)", s, null);
        assertEquals(1, s.ran.size());
        assertTrue(s.ran.get(0).startsWith("var res = dev.ferry.storage.sql.Results.take(\""), s.ran.get(0));
        assertEquals(5, taken.get(0).rowCount());
        assertTrue(taken.get(0) == shown);
        // rebinding the same name closes the table bound before
        run("out=res", "SELECT 1 AS x", s, null);
        assertTrue(taken.get(0).isClosed());
        assertThrows(MagicException.class, () -> magic.execute(ctx("out=1abc", "SELECT 1", s)));
    }

    @Test
    void explicitLimitDisplaysThatManyRows() throws Exception {
        FakeSession s = new FakeSession(dir);
        RecordingContext[] c = new RecordingContext[1];
        assertNull(run("limit=3", "SELECT * FROM range(100) r(i)", s, c));
        assertEquals(1, c[0].displays.size());
        String html = (String) c[0].displays.get(0).get("text/html");
        assertTrue(html.contains("100 rows"), html);
        assertTrue(html.contains("showing 3"), html);
    }

    @Test
    void sqlErrorsShowTheStatementAndPosition() {
        FakeSession s = new FakeSession(dir);
        MagicException duck = assertThrows(MagicException.class,
                () -> magic.execute(ctx("", "SELECT 1;\nSELEC 2 FROM nowhere", s)));
        assertTrue(duck.getMessage().contains("statement 2 of 2 (SQL line 2)"), duck.getMessage());
        assertTrue(duck.getMessage().contains("SELEC 2 FROM nowhere"), duck.getMessage());
        MagicException lite = assertThrows(MagicException.class,
                () -> magic.execute(ctx("db=sqlite:e.db", "SELECT 1 FORM x WHERE", s)));
        assertTrue(lite.getMessage().contains("    SELECT 1 FORM x WHERE\n"), lite.getMessage());
        assertTrue(lite.getMessage().contains("^"), lite.getMessage());
    }

    @Test
    void badDbArgumentListsTheForms() {
        FakeSession s = new FakeSession(dir);
        MagicException e = assertThrows(MagicException.class, () -> magic.execute(ctx("db=postgres:x", "SELECT 1", s)));
        assertTrue(e.getMessage().contains("db=postgres:x") && e.getMessage().contains("sqlite:PATH")
                && e.getMessage().contains("jdbc:"), e.getMessage());
    }

    @Test
    void duckdbQueriesArrowTablesByNameEveryTime() throws Exception {
        FakeSession s = new FakeSession(dir);
        Map<String, List<?>> cols = new LinkedHashMap<>();
        cols.put("region", List.of("north", "south", "north"));
        cols.put("units", List.of(3, 4, 5));
        Table sales = Table.fromColumns(cols);
        tables.add(sales);
        s.set("sales", sales);
        String sql = "SELECT region, sum(units) AS total FROM sales GROUP BY region ORDER BY region";
        Table a = run("", sql + ";\n" + sql, s, null); // two statements each read the table
        assertEquals(List.of("north", "south"), a.column("region"));
        assertEquals(8L, ((Number) a.column("total").get(0)).longValue());
        Table b = run("", "SELECT count(*) AS n FROM sales", s, null);
        assertEquals(3L, ((Number) b.column("n").get(0)).longValue());
        assertTrue(!sales.isClosed());
    }

    @Test
    void brokenConnectionIsReopenedOnce() throws Exception {
        FakeSession s = new FakeSession(dir);
        run("db=sqlite:r.db", "CREATE TABLE t(x INTEGER); INSERT INTO t VALUES (1)", s, null);
        magic.connections().current(Connections.resolve("sqlite:r.db", dir)).close();
        RecordingContext[] c = new RecordingContext[1];
        Table t = run("db=sqlite:r.db", "SELECT x FROM t", s, c);
        assertEquals(1, t.rowCount());
        assertTrue(c[0].err.toString().contains("reopened"), c[0].err.toString());
    }

    @Test
    void providerRegistersSql() {
        var reg = dev.ferry.magics.MagicRegistry.load(SqlMagics.class.getClassLoader());
        assertEquals("sql", reg.lookup(dev.ferry.magics.MagicSyntax.parse("%%sql\nSELECT 1").segments().get(0)).spec().name());
    }

    /** The session binds out= tables as the real kernel does (the var declaration that Results.bind runs). */
    private static void bindsOut(FakeSession s) {
        s.answer = code -> {
            var m = java.util.regex.Pattern.compile("var (\\w+) = dev\\.ferry\\.storage\\.sql\\.Results\\.take\\(\"([^\"]+)\"\\);")
                    .matcher(code);
            assertTrue(m.matches(), code);
            s.set(m.group(1), Results.take(m.group(2)));
            return null;
        };
    }

    @Test
    void aRealDuckdbTableWinsOverAnOutTableOfTheSameName() throws Exception {
        FakeSession s = new FakeSession(dir);
        bindsOut(s);
        RecordingContext[] c = new RecordingContext[1];
        // the out= name is also the table the same cell creates
        Table counts = run("out=pets", """
                CREATE TABLE pets(id INTEGER, name VARCHAR, species VARCHAR);
                INSERT INTO pets VALUES (1, 'Rex', 'dog'), (2, 'Tom', 'cat'), (3, 'Fido', 'dog');
                SELECT species, count(*) AS n FROM pets GROUP BY species ORDER BY species
                """, s, c);
        assertEquals(List.of("cat", "dog"), counts.column("species"));
        assertTrue(c[0].err.toString().contains("out=pets") && c[0].err.toString().contains("DuckDB table"),
                c[0].err.toString());
        s.set("wanted", "dog");
        Table dogs = run("", "SELECT name FROM pets WHERE species = :wanted ORDER BY id", s, c);
        assertEquals(List.of("Rex", "Fido"), dogs.column("name"));
        assertTrue(c[0].err.toString().contains("pets") && c[0].err.toString().contains("DuckDB table"),
                "says which one the name means: " + c[0].err);
        // the same columns in both: still the table's rows, not the variable's
        run("out=pets", "SELECT * FROM pets WHERE id = 2", s, null);
        assertEquals(List.of(3L), run("", "SELECT count(*) AS n FROM pets", s, null).column("n"));
    }

    @Test
    void aCellCreatingATableNamedLikeATableVariableUsesTheNewTable() throws Exception {
        FakeSession s = new FakeSession(dir);
        Table zoo = Table.fromColumns(Map.of("x", List.of(1, 2, 3)));
        tables.add(zoo);
        s.set("zoo", zoo);
        Table t = run("", """
                CREATE TABLE zoo AS SELECT x * 10 AS x FROM zoo;
                INSERT INTO zoo VALUES (40);
                SELECT x FROM zoo ORDER BY x
                """, s, null);
        assertEquals(List.of(10, 20, 30, 40), t.column("x"));
        run("", "DROP TABLE zoo", s, null);
        // with the table gone, the name is the variable's again
        assertEquals(List.of(3L), run("", "SELECT count(*) AS n FROM zoo", s, null).column("n"));
    }

    @Test
    void theFirstRowsOfABigResultDoNotClaimToBeAllOfIt() throws Exception {
        FakeSession s = new FakeSession(dir);
        RecordingContext[] c = new RecordingContext[1];
        assertNull(run("limit=5", "SELECT range AS i, range * 2 AS j FROM range(200000)", s, c));
        assertEquals(2, c[0].displays.size()); // the first rows, then the whole result
        String html = (String) c[0].displays.get(0).get("text/html");
        String text = (String) c[0].displays.get(0).get("text/plain");
        assertTrue(html.contains("<caption>first 5 rows × 2 columns; reading the rest"), html);
        assertTrue(!text.contains("[5 rows") && text.contains("first 5 rows × 2 columns; reading the rest"), text);
        assertTrue(((String) c[0].displays.get(1).get("text/html")).contains("<caption>200,000 rows × 2 columns"));
    }

    @Test
    void aLimitShowsThatManyRowsInTextAndHtmlAlikeWithTheShape() throws Exception {
        FakeSession s = new FakeSession(dir);
        RecordingContext[] c = new RecordingContext[1];
        assertNull(run("limit=4", "SELECT range AS i FROM range(1000)", s, c));
        Map<String, Object> shown = c[0].displays.get(0);
        String html = (String) shown.get("text/html");
        String text = (String) shown.get("text/plain");
        assertTrue(html.contains("<caption>1,000 rows × 1 column (showing 4)</caption>"), html);
        assertTrue(text.endsWith("[1,000 rows × 1 column (showing 4)]"), text);
        for (String row : List.of("0", "1", "998", "999")) { // the first two rows and the last two, in both
            assertTrue(html.contains("<td>" + row + "</td>"), html);
            assertTrue(text.lines().anyMatch(l -> l.matches(" *" + row + " │ +" + row)), text);
        }
        assertTrue(!html.contains("<td>2</td>") && !text.contains(" 2 │"), text);
    }

    @Test
    void sumOfIntegersIsAnInt64() throws Exception {
        FakeSession s = new FakeSession(dir);
        Table t = run("", "SELECT sum(i) AS total FROM range(10) r(i)", s, null);
        assertEquals(List.of(45L), t.column("total"));
        assertTrue(t.toString().contains("int64") && !t.toString().contains("decimal"), t.toString());
    }
}

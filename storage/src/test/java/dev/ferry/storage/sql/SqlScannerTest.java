package dev.ferry.storage.sql;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

class SqlScannerTest {

    private static List<String> texts(String sql) {
        return SqlScanner.split(sql).stream().map(SqlScanner.Statement::text).toList();
    }

    @Test
    void splitsOnSemicolonsOutsideQuotesAndComments() {
        String sql = """
                CREATE TABLE t(a TEXT);
                INSERT INTO t VALUES ('x;y'), ('it''s; fine');  -- a comment; with a semicolon
                /* block; comment */ SELECT "odd;name" FROM t;
                SELECT $$dollar; quoted$$, $tag$ more; $tag$
                """;
        assertEquals(List.of(
                "CREATE TABLE t(a TEXT)",
                "INSERT INTO t VALUES ('x;y'), ('it''s; fine')",
                "SELECT \"odd;name\" FROM t",
                "SELECT $$dollar; quoted$$, $tag$ more; $tag$"), texts(sql));
    }

    @Test
    void dropsEmptyStatementsAndKeepsLines() {
        var st = SqlScanner.split("\n-- only a comment\n;;\nSELECT 1;\n\n  SELECT\n 2\n-- trailing\n");
        assertEquals(2, st.size());
        assertEquals("SELECT 1", st.get(0).text());
        assertEquals(4, st.get(0).line());
        assertEquals("SELECT\n 2\n-- trailing", st.get(1).text());
        assertEquals(6, st.get(1).line());
        assertTrue(SqlScanner.split("  \n -- nothing\n /* at all */").isEmpty());
    }

    @Test
    void noTrailingSemicolonAndPositionalDollarParams() {
        assertEquals(List.of("SELECT $1, $2", "SELECT 2"), texts("SELECT $1, $2; SELECT 2"));
    }

    @Test
    void paramsReplacedOutsideStringsCommentsAndCasts() {
        var p = SqlScanner.params("SELECT :a, ':b', \":c\", x::INTEGER, arr[1:n], :d_2 -- :e\n/* :f */ FROM t WHERE y = :a");
        assertEquals(List.of("a", "d_2", "a"), p.names());
        assertEquals("SELECT ?, ':b', \":c\", x::INTEGER, arr[1:n], ? -- :e\n/* :f */ FROM t WHERE y = ?", p.sql());
        assertEquals(List.of(), SqlScanner.params("SELECT '1:2', 3").names());
        assertEquals(List.of("x"), SqlScanner.params("SELECT * FROM t WHERE a=:x").names());
    }

    @Test
    void identifiersOutsideStringsAndComments() {
        Set<String> ids = SqlScanner.identifiers("SELECT a, \"Quoted \"\"x\"\"\" FROM sales s -- notme\n WHERE b = 'nor_me' AND c = :param");
        assertTrue(ids.containsAll(Set.of("SELECT", "a", "Quoted \"x\"", "FROM", "sales", "s", "WHERE", "b", "AND", "c")), ids.toString());
        assertFalse(ids.contains("notme"));
        assertFalse(ids.contains("nor_me"));
        assertFalse(ids.contains("param"));
    }
}

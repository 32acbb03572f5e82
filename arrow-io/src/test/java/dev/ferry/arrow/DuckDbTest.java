package dev.ferry.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
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

/** Real in-memory DuckDB: JDBC -> Arrow row by row, native Arrow export, and DuckDB reading a Table. */
class DuckDbTest {
    Connection conn;
    BufferAllocator alloc;

    static final String TYPES = "CREATE TABLE t (b BOOLEAN, i8 TINYINT, i16 SMALLINT, i32 INTEGER, i64 BIGINT, "
            + "f REAL, d DOUBLE, s VARCHAR, bin BLOB, dec DECIMAL(10,2), day DATE, tm TIME, ts TIMESTAMP, "
            + "tstz TIMESTAMPTZ)";
    static final String ROWS = "INSERT INTO t VALUES (true, -8, 300, 70000, 9007199254740993, 1.5, 2.25, 'héllo', "
            + "'\\x00\\xFF'::BLOB, 12.34, DATE '2024-02-29', TIME '13:45:30.25', "
            + "TIMESTAMP '2024-02-29 23:59:59.123456', TIMESTAMPTZ '2024-03-01 00:00:00.000001+00'), "
            + "(NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL)";

    @BeforeEach
    void open() throws SQLException {
        conn = DriverManager.getConnection("jdbc:duckdb:");
        alloc = new RootAllocator();
        try (Statement st = conn.createStatement()) {
            st.execute("SET TimeZone = 'UTC'");
        }
    }

    @AfterEach
    void close() throws SQLException {
        conn.close();
        assertEquals(0, alloc.getAllocatedMemory(), "all Arrow memory released");
        alloc.close();
    }

    private void checkTypes(Table t, boolean nativeExport) {
        assertEquals(2, t.rowCount());
        Row a = t.row(0);
        assertEquals(true, a.get("b"));
        assertEquals((byte) -8, a.get("i8"));
        assertEquals((short) 300, a.get("i16"));
        assertEquals(70000, a.get("i32"));
        assertEquals(9007199254740993L, a.get("i64"));
        assertEquals(1.5f, a.get("f"));
        assertEquals(2.25, a.get("d"));
        assertEquals("héllo", a.get("s"));
        assertArrayEquals(new byte[] {0, (byte) 0xFF}, a.getBytes("bin"));
        assertEquals(new BigDecimal("12.34"), a.get("dec"));
        assertEquals(LocalDate.of(2024, 2, 29), a.get("day"));
        assertEquals(LocalTime.of(13, 45, 30, 250_000_000), a.get("tm"));
        assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000), a.get("ts"));
        assertEquals(Instant.parse("2024-03-01T00:00:00.000001Z"), a.get("tstz"));
        Row b = t.row(1);
        for (int c = 0; c < t.columnCount(); c++) {
            assertNull(b.get(c), (nativeExport ? "native " : "jdbc ") + t.columnNames().get(c));
        }
    }

    @Test
    void jdbcPathEveryTypeWithNulls() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(TYPES);
            st.execute(ROWS);
            try (ResultSet rs = st.executeQuery("SELECT * FROM t ORDER BY b NULLS LAST");
                 Table t = JdbcArrow.fromResultSet(rs, Long.MAX_VALUE, alloc)) {
                assertEquals(List.of("bool", "int8", "int16", "int32", "int64", "float32", "float64", "string",
                        "binary", "decimal(10,2)", "date", "time", "timestamp[us]", "timestamp[us, UTC]"),
                        t.schema().getFields().stream().map(f -> Render.typeName(f.getType())).toList());
                checkTypes(t, false);
            }
        }
    }

    @Test
    void nativeExportEveryTypeWithNulls() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute(TYPES);
            st.execute(ROWS);
        }
        try (Table t = DuckArrow.query(conn, "SELECT * FROM t ORDER BY b NULLS LAST", alloc)) {
            checkTypes(t, true);
        }
    }

    @Test
    void nativeExportOfAMillionRows() throws Exception {
        try (Table t = DuckArrow.query(conn, "SELECT i AS id, i * 0.5 AS half, 'row ' || i AS label "
                + "FROM range(1000000) r(i)", alloc)) {
            assertEquals(1_000_000, t.rowCount());
            assertEquals(List.of("id", "half", "label"), t.columnNames());
            assertEquals(0L, t.row(0).get("id"));
            assertEquals(123_456L, t.row(123_456).get("id"));
            assertEquals(new BigDecimal("61728.0"), t.row(123_456).getBigDecimal("half"));
            assertEquals("row 999999", t.row(999_999).get("label"));
            long sum = 0;
            for (Row r : t) {
                sum += r.getLong(0);
            }
            assertEquals(999_999L * 1_000_000 / 2, sum);
            // IPC round trip of the exported table
            byte[] bytes = ArrowIpc.toBytes(t);
            try (Table back = ArrowIpc.read(new java.io.ByteArrayInputStream(bytes), alloc)) {
                assertEquals(1_000_000, back.rowCount());
                assertEquals("row 424242", back.row(424_242).get("label"));
            }
        }
    }

    @Test
    void preparedStatementResultsExportNatively() throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement("SELECT i FROM range(10) r(i) WHERE i >= ?")) {
            ps.setLong(1, 7);
            try (ResultSet rs = ps.executeQuery(); Table t = DuckArrow.fromResultSet(rs, alloc)) {
                assertEquals(List.of(7L, 8L, 9L), t.column("i"));
            }
        }
    }

    @Test
    void enumsAreDecoded() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy')");
            st.execute("CREATE TABLE m (x mood)");
            st.execute("INSERT INTO m VALUES ('happy'), (NULL), ('sad')");
        }
        try (Table t = DuckArrow.query(conn, "SELECT x FROM m", alloc)) {
            assertEquals(java.util.Arrays.asList("happy", null, "sad"), t.column("x"));
            assertEquals("string", Render.typeName(t.columnType(0)));
        }
    }

    record Sale(String region, long units, double price) {
    }

    @Test
    void duckDbQueriesATableByName() throws SQLException {
        List<Sale> sales = new ArrayList<>();
        for (int i = 0; i < 200_000; i++) {
            sales.add(new Sale(i % 2 == 0 ? "north" : "south", i, 1.5));
        }
        try (Table t = Table.fromRecords(Sale.class, sales, alloc)) {
            try (DuckArrow.Registration reg = DuckArrow.register(conn, "sales", t);
                 Table r = DuckArrow.query(conn, "SELECT region, sum(units) AS units, count(*) AS n "
                         + "FROM sales GROUP BY region ORDER BY region", alloc)) {
                assertEquals("sales", reg.name());
                assertEquals(2, r.rowCount());
                assertEquals("north", r.row(0).get("region"));
                assertEquals(100_000L, r.row(0).get("n"));
                assertEquals(new BigDecimal(199_998L / 2 * 100_000L), r.row(0).getBigDecimal("units"));
            }
            // materialized: any number of queries
            DuckArrow.createTable(conn, "sales_copy", t);
            for (int k = 0; k < 2; k++) {
                try (Table r = DuckArrow.query(conn, "SELECT count(*) AS n, sum(price) AS p FROM sales_copy", alloc)) {
                    assertEquals(200_000L, r.row(0).get("n"));
                    assertEquals(300_000.0, r.row(0).getDouble("p"));
                }
            }
            assertTrue(t.allocatedBytes() > 0);
        }
    }

    @Test
    void closingARegistrationDropsItsViewSoARealTableOfTheSameNameIsReadAgain() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE pets(id INTEGER, name VARCHAR)");
            st.execute("INSERT INTO pets VALUES (1, 'Rex')");
        }
        try (Table t = Table.fromColumns(Map.of("n", List.of(7L)), alloc)) {
            try (DuckArrow.Registration reg = DuckArrow.register(conn, "pets", t);
                 Table r = DuckArrow.query(conn, "SELECT n FROM pets", alloc)) {
                assertEquals(List.of(7L), r.column("n")); // while registered, the name is the Arrow table's
            }
            try (Table r = DuckArrow.query(conn, "SELECT name FROM pets", alloc)) {
                assertEquals(List.of("Rex"), r.column("name"));
            }
            DuckArrow.register(conn, "zoo", t).close();
            assertFalse(DuckArrow.hasTableOrView(conn, "zoo"), "no view left behind over a released stream");
        }
    }

    @Test
    void hasTableOrViewSeesTheCatalogOnTheSearchPath() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE pets(id INTEGER)");
            st.execute("CREATE VIEW dogs AS SELECT * FROM pets");
            st.execute("CREATE TEMP TABLE scratch(x INTEGER)");
            st.execute("CREATE SCHEMA other");
            st.execute("CREATE TABLE other.hidden(x INTEGER)");
        }
        assertTrue(DuckArrow.hasTableOrView(conn, "pets"));
        assertTrue(DuckArrow.hasTableOrView(conn, "PETS"), "identifiers are case-insensitive");
        assertTrue(DuckArrow.hasTableOrView(conn, "dogs"));
        assertTrue(DuckArrow.hasTableOrView(conn, "scratch"));
        assertFalse(DuckArrow.hasTableOrView(conn, "hidden"), "not on the search path");
        assertFalse(DuckArrow.hasTableOrView(conn, "duckdb_tables"), "system views are not user tables");
        assertFalse(DuckArrow.hasTableOrView(conn, "nothing"));
    }

    @Test
    void hugeintResultsArriveAsInt64WhenEveryValueFits() throws SQLException {
        // sum() of integers is HUGEINT in DuckDB, which its Arrow export sends as decimal(38,0)
        try (Table t = DuckArrow.query(conn, "SELECT i % 2 AS k, sum(i) AS s, sum(i::INTEGER) AS si, "
                + "CASE WHEN i % 2 = 0 THEN NULL ELSE 1::HUGEINT END AS maybe, 2::UHUGEINT AS u "
                + "FROM range(10) r(i) GROUP BY k, maybe ORDER BY k", alloc)) {
            assertEquals(List.of("int64", "int64", "int64", "int64", "int64"),
                    t.schema().getFields().stream().map(f -> Render.typeName(f.getType())).toList());
            assertEquals(List.of(20L, 25L), t.column("s"));
            assertEquals(List.of(20L, 25L), t.column("si"));
            assertEquals(Arrays.asList(null, 1L), t.column("maybe"));
            assertEquals(List.of(2L, 2L), t.column("u"));
        }
        // too big for int64: a HUGEINT stays decimal(38,0), exact; a declared DECIMAL(38,0) stays as it is
        try (Table t = DuckArrow.query(conn, "SELECT (-170141183460469231731687303715884105727)::HUGEINT AS h, "
                + "5::DECIMAL(38,0) AS d, 9223372036854775808::UHUGEINT AS u", alloc)) {
            assertEquals(List.of("decimal(38,0)", "decimal(38,0)", "decimal(38,0)"),
                    t.schema().getFields().stream().map(f -> Render.typeName(f.getType())).toList());
            assertEquals(new BigDecimal("-170141183460469231731687303715884105727"), t.row(0).get("h"));
            assertEquals(new BigDecimal("9223372036854775808"), t.row(0).get("u"));
        }
        // a UHUGEINT above the signed 128-bit range, which the export would wrap to a negative: exact text
        try (Table t = DuckArrow.query(conn, "SELECT 340282366920938463463374607431768211455::UHUGEINT AS u", alloc)) {
            assertEquals("string", Render.typeName(t.columnType(0)));
            assertEquals("340282366920938463463374607431768211455", t.row(0).get("u"));
        }
    }

    @Test
    void hugeintAcrossBatchesAndInTheFirstRowsPreview() throws SQLException {
        List<Table> previews = new ArrayList<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT i::HUGEINT AS h FROM range(200000) r(i)");
             Table t = DuckArrow.fromResultSet(rs, alloc, 3, previews::add)) {
            assertEquals(1, previews.size());
            try (Table head = previews.get(0)) {
                assertEquals("int64", Render.typeName(head.columnType(0)));
                assertEquals(List.of(0L, 1L, 2L), head.column("h"));
            }
            assertEquals("int64", Render.typeName(t.columnType(0)));
            assertEquals(199_999L, t.row(199_999).get("h"));
            assertEquals(200_000L * 199_999 / 2, t.column("h").stream().mapToLong(o -> (Long) o).sum());
        }
    }
}

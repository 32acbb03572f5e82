package dev.ferry.arrow;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.Arrays;
import java.util.List;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** JDBC -> Arrow against a real SQLite database file. */
class SqliteJdbcTest {
    @TempDir
    Path dir;

    Connection conn;
    BufferAllocator alloc;

    @BeforeEach
    void open() throws SQLException {
        conn = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("test.db"));
        alloc = new RootAllocator();
    }

    @AfterEach
    void close() throws SQLException {
        conn.close();
        assertEquals(0, alloc.getAllocatedMemory());
        alloc.close();
    }

    @Test
    void everyTypeWithNulls() throws Exception {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, small TINYINT, mid SMALLINT, big BIGINT, "
                    + "r REAL, d DOUBLE, name TEXT, label VARCHAR(20), data BLOB, price DECIMAL(10,2), "
                    + "day DATE, at TIME, ts TIMESTAMP, dt DATETIME, flag BOOLEAN)");
            st.execute("INSERT INTO t VALUES (1, 7, 300, 9007199254740993, 1.5, 2.25, 'héllo', 'x', x'00ff10', "
                    + "12.34, '2024-02-29', '13:45:30.250', '2024-02-29 23:59:59.123456', '2024-01-01T10:00:00', 1)");
            st.execute("INSERT INTO t VALUES (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, "
                    + "NULL, NULL, NULL)");
            // SQLite's dynamic typing: an integer in a TINYINT column beyond a byte, a date as epoch millis
            // (what sqlite-jdbc's setDate writes), a timestamp as a Julian day, a number stored as text
            st.execute("INSERT INTO t VALUES (3, 1000, 5, -1, '3.5', 4, 42, 'y', 'text-blob', 99999999.99, "
                    + "NULL, '08:00', 2460000.5, '2024-06-01 12:00:00Z', 0)");
        }
        LocalDate epochDay = LocalDate.of(2021, 3, 4);
        try (PreparedStatement ps = conn.prepareStatement("UPDATE t SET day = ? WHERE id = 3")) {
            ps.setDate(1, java.sql.Date.valueOf(epochDay));
            ps.executeUpdate();
        }
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("SELECT * FROM t ORDER BY id");
             Table t = JdbcArrow.fromResultSet(rs, Long.MAX_VALUE, alloc)) {
            assertEquals(3, t.rowCount());
            assertEquals(List.of("int64", "int64", "int64", "int64", "float64", "float64", "string", "string",
                    "binary", "decimal(10,2)", "date", "time", "timestamp[us]", "timestamp[us]", "bool"),
                    t.schema().getFields().stream().map(f -> Render.typeName(f.getType())).toList());
            Row a = t.row(0);
            assertEquals(1L, a.get("id"));
            assertEquals(7L, a.get("small"));
            assertEquals(300L, a.get("mid"));
            assertEquals(9007199254740993L, a.get("big"));
            assertEquals(1.5, a.get("r"));
            assertEquals(2.25, a.get("d"));
            assertEquals("héllo", a.get("name"));
            assertEquals("x", a.get("label"));
            assertArrayEquals(new byte[] {0, (byte) 0xff, 0x10}, a.getBytes("data"));
            assertEquals(new BigDecimal("12.34"), a.get("price"));
            assertEquals(LocalDate.of(2024, 2, 29), a.get("day"));
            assertEquals(LocalTime.of(13, 45, 30, 250_000_000), a.get("at"));
            assertEquals(LocalDateTime.of(2024, 2, 29, 23, 59, 59, 123_456_000), a.get("ts"));
            assertEquals(LocalDateTime.of(2024, 1, 1, 10, 0), a.get("dt"));
            assertEquals(true, a.get("flag"));
            Row b = t.row(1);
            for (int c = 1; c < t.columnCount(); c++) {
                assertNull(b.get(c), "column " + t.columnNames().get(c));
            }
            Row c = t.row(2);
            assertEquals(1000L, c.get("small"));
            assertEquals(3.5, c.get("r"));
            assertEquals(4.0, c.get("d"));
            assertEquals("42", c.get("name"));
            assertArrayEquals("text-blob".getBytes(), c.getBytes("data"));
            assertEquals(new BigDecimal("99999999.99"), c.get("price"));
            assertEquals(epochDay, c.get("day"));
            assertEquals(LocalTime.of(8, 0), c.get("at"));
            assertEquals(LocalDateTime.of(2023, 2, 25, 0, 0), c.get("ts"));
            assertEquals(LocalDateTime.of(2024, 6, 1, 12, 0), c.get("dt"));
            assertEquals(false, c.get("flag"));
            // and the whole thing survives IPC
            try (Table back = ArrowIpc.read(new java.io.ByteArrayInputStream(ArrowIpc.toBytes(t)), alloc)) {
                assertEquals(t.toString(), back.toString());
            }
        }
    }

    @Test
    void expressionsWithoutDeclaredTypesMaxRowsAndDuplicateNames() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE n (v INTEGER)");
            st.execute("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000) "
                    + "INSERT INTO n SELECT x FROM c");
            try (ResultSet rs = st.executeQuery("SELECT v, v * 2 AS twice, v / 4.0 AS q, 'k' || v AS s, v, "
                    + "NULL AS nil FROM n ORDER BY v");
                 Table t = JdbcArrow.fromResultSet(rs, 70_000, alloc)) {
                assertEquals(70_000, t.rowCount());
                assertEquals(List.of("v", "twice", "q", "s", "v_2", "nil"), t.columnNames());
                assertEquals("int64", Render.typeName(t.columnType(1)));
                assertEquals("float64", Render.typeName(t.columnType(2)));
                assertEquals("string", Render.typeName(t.columnType(3)));
                Row last = t.row(69_999);
                assertEquals(70_000L, last.get("v"));
                assertEquals(140_000L, last.get("twice"));
                assertEquals(17_500.0, last.get("q"));
                assertEquals("k70000", last.get("s"));
                assertNull(last.get("nil"));
                assertEquals(69_999L * 70_000 / 2 + 70_000, t.column("v").stream().mapToLong(o -> (Long) o).sum());
            }
        }
    }

    @Test
    void badValueIsAClearError() throws SQLException {
        try (Statement st = conn.createStatement()) {
            st.execute("CREATE TABLE b (n INTEGER, d DATE)");
            st.execute("INSERT INTO b VALUES (1, '2020-01-01'), ('abc', '2020-01-02')");
            try (ResultSet rs = st.executeQuery("SELECT n FROM b")) {
                SQLException e = assertThrows(SQLException.class, () -> JdbcArrow.fromResultSet(rs, 10, alloc));
                assertTrue(e.getMessage().contains("column 'n'") && e.getMessage().contains("row 1")
                        && e.getMessage().contains("'abc'"), e.getMessage());
            }
            try (ResultSet rs = st.executeQuery("SELECT d FROM b WHERE 0");
                 Table t = JdbcArrow.fromResultSet(rs, 10, alloc)) {
                assertEquals(0, t.rowCount());
                assertEquals(List.of("d"), t.columnNames());
                assertEquals(Arrays.asList(), t.column("d"));
            }
        }
    }
}

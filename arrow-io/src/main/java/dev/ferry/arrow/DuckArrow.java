package dev.ferry.arrow;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.arrow.c.ArrowArrayStream;
import org.apache.arrow.c.Data;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBResultSet;

/**
 * DuckDB <-> Arrow through DuckDB's native Arrow C interface (no row-by-row JDBC): query results are exported with
 * {@code DuckDBResultSet.arrowExportStream}, and a {@link Table} can be registered so SQL reads it by name.
 * Needs {@code org.duckdb:duckdb_jdbc} on the class path (an optional dependency of this module).
 */
public final class DuckArrow {
    private DuckArrow() {
    }

    /** Rows per exported batch. */
    public static final int BATCH_ROWS = Table.BATCH_ROWS;

    /** Runs {@code sql} on a DuckDB connection and returns the whole result as a table. */
    public static Table query(Connection duckdb, String sql) throws SQLException {
        return query(duckdb, sql, null);
    }

    /** {@link #query(Connection, String)} allocating from a child of {@code allocator} (null: the default). */
    public static Table query(Connection duckdb, String sql, BufferAllocator allocator) throws SQLException {
        try (Statement st = duckdb.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return fromResultSet(rs, allocator);
        }
    }

    /**
     * Exports an executed DuckDB result set (for example from a PreparedStatement with bound parameters) as a table.
     * The result set is consumed; the caller closes it.
     */
    public static Table fromResultSet(ResultSet duckResult, BufferAllocator allocator) throws SQLException {
        return fromResultSet(duckResult, allocator, 0, null);
    }

    /**
     * {@link #fromResultSet(ResultSet, BufferAllocator)} that hands {@code preview} the first {@code previewRows}
     * rows of a result of more than one batch before the rest is read ({@link Table#fromReader(ArrowReader,
     * BufferAllocator, int, java.util.function.Consumer)}).
     *
     * <p>HUGEINT and UHUGEINT columns (what {@code sum()} of integers returns), which DuckDB exports as
     * decimal(38,0), arrive as int64 when every value fits; see docs/arrow.md.
     */
    public static Table fromResultSet(ResultSet duckResult, BufferAllocator allocator, int previewRows,
                                      java.util.function.Consumer<Table> preview) throws SQLException {
        DuckDBResultSet drs = duckResult.unwrap(DuckDBResultSet.class);
        java.util.Map<Integer, Boolean> wide = WideInts.columns(drs.getMetaData());
        java.util.function.Consumer<Table> show = preview == null || wide.isEmpty() ? preview
                : head -> preview.accept(WideInts.narrow(head, wide));
        BufferAllocator parent = allocator == null ? Table.defaultAllocator() : allocator;
        try (ArrowReader reader = (ArrowReader) drs.arrowExportStream(parent, BATCH_ROWS)) {
            Table t = Table.fromReader(reader, parent, previewRows, show);
            try {
                return WideInts.narrow(t, wide);
            } catch (RuntimeException e) {
                t.close();
                throw e;
            }
        } catch (IOException e) {
            throw new SQLException("reading DuckDB's Arrow export: " + e.getMessage(), e);
        }
    }

    /**
     * Registers {@code table} under {@code name} on a DuckDB connection, so SQL on that connection can read it
     * ({@code SELECT ... FROM name}). DuckDB reads the table's buffers in place through the Arrow C stream interface.
     *
     * <p>A registered stream can be scanned ONCE (it is a stream, not a table): register again before each query,
     * or materialize it with {@link #createTable(Connection, String, Table)}. Close the returned registration after
     * the query has run (it releases the exported stream); the table must stay open until then.
     *
     * <p>DuckDB makes the registration a temporary view, which comes first on the search path: while registered,
     * {@code name} hides a table of the same name in the database ({@link #hasTableOrView} tells whether there is
     * one). Closing the registration drops the view, so the name means the database's table again.
     */
    public static Registration register(Connection duckdb, String name, Table table) throws SQLException {
        table.checkOpen();
        DuckDBConnection conn = duckdb.unwrap(DuckDBConnection.class);
        BufferAllocator alloc = table.allocator().getRoot().newChildAllocator("duck-export-" + name, 0, Long.MAX_VALUE);
        ArrowReader reader = table.reader(alloc);
        ArrowArrayStream stream = ArrowArrayStream.allocateNew(alloc);
        try {
            Data.exportArrayStream(alloc, reader, stream);
            conn.registerArrowStream(name, stream);
        } catch (RuntimeException e) {
            stream.close();
            closeQuietly(reader);
            alloc.close();
            throw new SQLException("registering Arrow table '" + name + "' with DuckDB: " + e.getMessage(), e);
        }
        return new Registration(duckdb, name, stream, reader, alloc);
    }

    /**
     * Copies {@code table} into a DuckDB table {@code name} ({@code CREATE OR REPLACE TABLE name AS SELECT * FROM
     * ...}), so SQL can read it any number of times; temporary unless the name is schema-qualified by the caller's
     * SQL conventions. The Arrow memory is not needed afterwards.
     */
    public static void createTable(Connection duckdb, String name, Table table) throws SQLException {
        String tmp = "__ferry_arrow_" + Math.abs(System.nanoTime());
        try (Registration reg = register(duckdb, tmp, table); Statement st = duckdb.createStatement()) {
            st.execute("CREATE OR REPLACE TEMP TABLE " + quote(name) + " AS SELECT * FROM " + quote(tmp));
        }
    }

    /**
     * Whether the unqualified {@code name} (case-insensitive, as DuckDB compares identifiers) is a table or view
     * of the catalog that SQL on {@code duckdb} reaches: temporary ones and those of the current database's
     * schemas on the search path, not DuckDB's own system views.
     */
    public static boolean hasTableOrView(Connection duckdb, String name) throws SQLException {
        String sql = "SELECT count(*) FROM (SELECT database_name AS d, schema_name AS s, table_name AS n "
                + "FROM duckdb_tables() UNION ALL SELECT database_name, schema_name, view_name FROM duckdb_views() "
                + "WHERE NOT internal) WHERE lower(n) = lower(?) AND (d = 'temp' OR d = current_database()) "
                + "AND list_contains(current_schemas(true), s)";
        try (java.sql.PreparedStatement ps = duckdb.prepareStatement(sql)) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getLong(1) > 0;
            }
        }
    }

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // best effort
        }
    }

    /** An exported table registered with DuckDB; close it once the queries that read it are done. */
    public static final class Registration implements AutoCloseable {
        private final Connection connection;
        private final String name;
        private final ArrowArrayStream stream;
        private final ArrowReader reader;
        private final BufferAllocator allocator;
        private boolean closed;

        Registration(Connection connection, String name, ArrowArrayStream stream, ArrowReader reader,
                     BufferAllocator allocator) {
            this.connection = connection;
            this.name = name;
            this.stream = stream;
            this.reader = reader;
            this.allocator = allocator;
        }

        public String name() {
            return name;
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            try (Statement st = connection.createStatement()) { // the view DuckDB made; left, it hides a table
                st.execute("DROP VIEW IF EXISTS temp.main." + quote(name));
            } catch (SQLException e) {
                // the connection is closed or its transaction aborted (a rollback removes the view too)
            }
            stream.close();
            closeQuietly(reader);
            allocator.close();
        }
    }
}

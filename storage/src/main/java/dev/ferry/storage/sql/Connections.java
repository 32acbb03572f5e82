package dev.ferry.storage.sql;

import dev.ferry.magics.MagicException;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The connections {@code %%sql} keeps open in a worker, one per database: {@code duckdb} (one in-memory DuckDB),
 * {@code duckdb:PATH}, {@code sqlite:PATH} or a {@code jdbc:} URL.
 */
final class Connections {
    static final String FORMS = "duckdb (in-memory, the default), duckdb:PATH, sqlite:PATH, or a JDBC URL (jdbc:...)";

    /** A resolved database: the JDBC URL, whether it is DuckDB, and how to show it. */
    record Target(String url, boolean duckdb, String label) {
    }

    private final Map<String, Connection> open = new HashMap<>();

    /** Resolves a {@code db=} value; relative paths against {@code dir}. */
    static Target resolve(String db, Path dir) {
        String d = db.strip();
        if (d.equalsIgnoreCase("duckdb") || d.equalsIgnoreCase("duckdb:") || d.equalsIgnoreCase("duckdb::memory:")) {
            return new Target("jdbc:duckdb:", true, "in-memory DuckDB");
        }
        if (d.regionMatches(true, 0, "duckdb:", 0, 7)) {
            Path p = dir.resolve(d.substring(7)).toAbsolutePath().normalize();
            return new Target("jdbc:duckdb:" + p, true, "DuckDB " + p);
        }
        if (d.regionMatches(true, 0, "sqlite:", 0, 7) && d.length() > 7) {
            String rest = d.substring(7);
            if (rest.equals(":memory:")) {
                return new Target("jdbc:sqlite::memory:", false, "in-memory SQLite");
            }
            Path p = dir.resolve(rest).toAbsolutePath().normalize();
            return new Target("jdbc:sqlite:" + p, false, "SQLite " + p);
        }
        if (d.regionMatches(true, 0, "jdbc:", 0, 5) && d.length() > 5) {
            boolean duck = d.regionMatches(true, 0, "jdbc:duckdb:", 0, 12);
            return new Target(d, duck, d);
        }
        throw new MagicException("%%sql: db=" + db + ": unsupported database; use one of: " + FORMS
                + ", e.g. db=sqlite:data.db");
    }

    /** The open connection for {@code t}, opening it on first use or when the last one is no longer usable. */
    synchronized Connection get(Target t, StringBuilder notes) throws SQLException {
        Connection c = open.get(t.url());
        if (c != null && usable(c)) {
            return c;
        }
        if (c != null) {
            closeQuietly(c);
            open.remove(t.url());
            notes.append("the connection to ").append(t.label()).append(" was broken; reopened it")
                    .append(t.url().equals("jdbc:duckdb:") ? " (a new, empty in-memory database)" : "").append('\n');
        }
        c = connect(t.url());
        open.put(t.url(), c);
        return c;
    }

    /** Closes and forgets the connection for {@code t} and opens a new one (after it broke mid-statement). */
    synchronized Connection reopen(Target t) throws SQLException {
        Connection c = open.remove(t.url());
        if (c != null) {
            closeQuietly(c);
        }
        c = connect(t.url());
        open.put(t.url(), c);
        return c;
    }

    /** The connection open now for {@code t}, or null. */
    synchronized Connection current(Target t) {
        return open.get(t.url());
    }

    synchronized void closeAll() {
        for (Connection c : open.values()) {
            closeQuietly(c);
        }
        open.clear();
    }

    static boolean usable(Connection c) {
        try {
            return !c.isClosed() && c.isValid(5);
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    private static Connection connect(String url) throws SQLException {
        // drivers on this module's class path directly, so the worker's class loaders do not matter
        if (url.startsWith("jdbc:duckdb:")) {
            Connection c = new org.duckdb.DuckDBDriver().connect(url, new Properties());
            if (c != null) {
                return c;
            }
        } else if (url.startsWith("jdbc:sqlite:")) {
            Connection c = new org.sqlite.JDBC().connect(url, new Properties());
            if (c != null) {
                return c;
            }
        }
        return DriverManager.getConnection(url);
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException ignored) {
            // it is broken anyway
        }
    }
}

package dev.ferry.storage;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The store's SQLite database: its two connections (one for transactions, one watching
 * {@code PRAGMA data_version}), the schema, prepared statements and transactions, and the object table's
 * ids. {@link SqliteStore} holds the durability contract; {@link SqliteDicts} and {@link SqliteQueues} run
 * their operations through {@link #readTx} and {@link #writeTx}. Thread-safe: one transaction at a time.
 */
final class SqliteDb implements AutoCloseable {
    static final int SCHEMA_VERSION = 1;
    static final int BUSY_TIMEOUT_MS = 30_000;

    final Path file;
    final Clock clock;
    final ReentrantLock lock = new ReentrantLock();
    private final Connection db; // guarded by lock
    private final Map<String, PreparedStatement> statements = new HashMap<>(); // guarded by lock
    private final Connection watch; // guarded by itself
    private volatile boolean closed;

    SqliteDb(Path file, Clock clock) throws SQLException {
        this.file = file;
        this.clock = clock;
        this.db = connect();
        try {
            this.watch = connect();
        } catch (SQLException e) {
            db.close();
            throw e;
        }
        try {
            initSchema();
            purgeDeadEphemerals();
        } catch (SQLException | RuntimeException e) {
            db.close();
            watch.close();
            throw e;
        }
    }

    boolean closed() {
        return closed;
    }

    private Connection connect() throws SQLException {
        Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        try (Statement s = c.createStatement()) {
            s.execute("PRAGMA busy_timeout=" + BUSY_TIMEOUT_MS);
            String mode = null;
            for (int attempt = 0; attempt < 50 && !"wal".equalsIgnoreCase(mode); attempt++) {
                try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
                    mode = rs.next() ? rs.getString(1) : null;
                } catch (SQLException e) {
                    if (attempt == 49) {
                        throw e;
                    }
                    sleepQuietly(20);
                }
            }
            if (!"wal".equalsIgnoreCase(mode)) {
                throw new SQLException("cannot switch " + file + " to WAL mode (got " + mode + ")");
            }
            s.execute("PRAGMA synchronous=FULL");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    private void initSchema() throws SQLException {
        write(() -> {
            try (Statement s = db.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
                s.execute("CREATE TABLE IF NOT EXISTS objects (id INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " kind TEXT NOT NULL, name TEXT NOT NULL, owner_pid INTEGER, owner_start_ms INTEGER,"
                        + " created_ms INTEGER NOT NULL, UNIQUE (kind, name))");
                s.execute("CREATE TABLE IF NOT EXISTS dict_entries (obj INTEGER NOT NULL, k BLOB NOT NULL,"
                        + " v BLOB NOT NULL, PRIMARY KEY (obj, k))");
                s.execute("CREATE TABLE IF NOT EXISTS queue_partitions (obj INTEGER NOT NULL, part TEXT NOT NULL,"
                        + " n INTEGER NOT NULL, ttl_ms INTEGER, expires_ms INTEGER, PRIMARY KEY (obj, part))"
                        + " WITHOUT ROWID");
                s.execute("CREATE TABLE IF NOT EXISTS queue_items (seq INTEGER PRIMARY KEY AUTOINCREMENT,"
                        + " obj INTEGER NOT NULL, part TEXT NOT NULL, v BLOB NOT NULL)");
                s.execute("CREATE INDEX IF NOT EXISTS queue_items_fifo ON queue_items (obj, part, seq)");
                s.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
                try (ResultSet rs = s.executeQuery("SELECT value FROM meta WHERE key = 'schema_version'")) {
                    rs.next();
                    int v = Integer.parseInt(rs.getString(1));
                    if (v > SCHEMA_VERSION) {
                        throw new IllegalStateException(file + " has store schema version " + v
                                + ", newer than this Ferry understands (" + SCHEMA_VERSION + "): upgrade Ferry");
                    }
                }
            }
            return null;
        });
    }

    /** Deletes ephemeral objects whose owning process is gone (killed before it could clean up). */
    private void purgeDeadEphemerals() throws SQLException {
        write(() -> {
            List<Long> dead = new ArrayList<>();
            try (ResultSet rs = ps("SELECT id, owner_pid, owner_start_ms FROM objects WHERE owner_pid IS NOT NULL")
                    .executeQuery()) {
                while (rs.next()) {
                    long pid = rs.getLong(2);
                    long start = rs.getLong(3);
                    if (!alive(pid, rs.wasNull() ? -1 : start)) {
                        dead.add(rs.getLong(1));
                    }
                }
            }
            for (long id : dead) {
                deleteContents(id);
            }
            return null;
        });
    }

    private static boolean alive(long pid, long startMs) {
        return ProcessHandle.of(pid).map(ph -> {
            if (startMs < 0) {
                return ph.isAlive();
            }
            long actual = ph.info().startInstant().map(i -> i.toEpochMilli()).orElse(startMs);
            return ph.isAlive() && Math.abs(actual - startMs) < 2_000; // a reused pid is another process
        }).orElse(false);
    }

    // ------------------------------------------------------------------ transactions

    @FunctionalInterface
    interface Body<T> {
        T run() throws SQLException;
    }

    PreparedStatement ps(String sql) throws SQLException {
        PreparedStatement p = statements.get(sql);
        if (p == null) {
            p = db.prepareStatement(sql);
            statements.put(sql, p);
        } else {
            p.clearParameters();
        }
        return p;
    }

    <T> T write(Body<T> body) throws SQLException {
        return tx("BEGIN IMMEDIATE", body);
    }

    private <T> T tx(String begin, Body<T> body) throws SQLException {
        lock.lock();
        try {
            if (closed) {
                throw new IllegalStateException("Ferry's store " + file + " is closed");
            }
            try (Statement s = db.createStatement()) {
                s.execute(begin);
            }
            boolean done = false;
            try {
                T result = body.run();
                try (Statement s = db.createStatement()) {
                    s.execute("COMMIT");
                }
                done = true;
                return result;
            } finally {
                if (!done) {
                    try (Statement s = db.createStatement()) {
                        s.execute("ROLLBACK");
                    } catch (SQLException ignored) {
                        // the transaction may already be gone
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    <T> T writeTx(Body<T> body) {
        try {
            return write(body);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    <T> T readTx(Body<T> body) {
        try {
            return tx("BEGIN", body);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    IllegalStateException failure(SQLException e) {
        return new IllegalStateException("Ferry's store " + file + ": " + e.getMessage(), e);
    }

    Long findId(Store.Kind kind, String name) throws SQLException {
        PreparedStatement p = ps("SELECT id FROM objects WHERE kind = ? AND name = ?");
        p.setString(1, kind.name());
        p.setString(2, name);
        try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    long id(Store.Kind kind, String name) throws SQLException {
        Long id = findId(kind, name);
        if (id == null) {
            throw new NoSuchElementException(Names.describe(kind, name) + " does not exist (was it deleted?)");
        }
        return id;
    }

    void deleteContents(long id) throws SQLException {
        for (String sql : new String[] {"DELETE FROM dict_entries WHERE obj = ?",
                "DELETE FROM queue_items WHERE obj = ?", "DELETE FROM queue_partitions WHERE obj = ?",
                "DELETE FROM objects WHERE id = ?"}) {
            PreparedStatement p = ps(sql);
            p.setLong(1, id);
            p.executeUpdate();
        }
    }

    /** SQLite's data_version on the watch connection: it changes when another connection commits. */
    long dataVersion() {
        synchronized (watch) {
            if (closed) {
                throw new IllegalStateException("Ferry's store " + file + " is closed");
            }
            try (Statement s = watch.createStatement(); ResultSet rs = s.executeQuery("PRAGMA data_version")) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                throw failure(e);
            }
        }
    }

    /** Closes the statements and both connections (the caller holds no transaction). */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            for (PreparedStatement p : statements.values()) {
                try {
                    p.close();
                } catch (SQLException ignored) {
                    // closing anyway
                }
            }
            statements.clear();
            try {
                db.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        } finally {
            lock.unlock();
        }
        synchronized (watch) {
            try {
                watch.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

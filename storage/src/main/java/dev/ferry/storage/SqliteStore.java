package dev.ferry.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The embedded store: one SQLite database, {@value #FILE_NAME}, in a data directory (the kernel passes
 * {@code FERRY_DATA_DIR}). WAL journal, {@code synchronous=FULL} (a put is acknowledged only after its
 * commit is fsynced, so it survives {@code kill -9} and power loss), {@code busy_timeout} for waiting on
 * other processes' writers, and {@code BEGIN IMMEDIATE} for every read-then-write transaction, so several
 * processes (two kernels on one machine) can share the file safely. Thread-safe: calls from one process
 * share one connection, one at a time.
 *
 * <p>A blocked queue get is woken in-process by a signal from puts, and across processes by polling
 * {@code PRAGMA data_version} on a second connection with a backoff from 1 ms up to 20 ms.
 */
public final class SqliteStore implements Store {
    /** The database's file name inside the data directory. */
    public static final String FILE_NAME = "store.sqlite";
    static final int SCHEMA_VERSION = 1;
    static final int BUSY_TIMEOUT_MS = 30_000;
    static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final Path file;
    private final Clock clock;
    private final Limits limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Connection db; // guarded by lock
    private final Map<String, PreparedStatement> statements = new HashMap<>(); // guarded by lock
    private final Connection watch; // guarded by itself
    private final Object signal = new Object();
    private long putEpoch; // guarded by signal
    private final Set<String> ephemerals = ConcurrentHashMap.newKeySet(); // kind + ':' + name, created here
    private final Thread shutdownHook;
    private volatile boolean closed;

    private SqliteStore(Path dataDir, Clock clock, Limits limits) throws SQLException {
        this.file = dataDir.resolve(FILE_NAME);
        this.clock = clock;
        this.limits = limits;
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
        shutdownHook = new Thread(this::close, "ferry-store-close");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Opens (creating if needed) {@code dataDir/store.sqlite}. */
    public static SqliteStore open(Path dataDir) {
        return open(dataDir, Clock.systemUTC(), Limits.DEFAULT);
    }

    static SqliteStore open(Path dataDir, Clock clock, Limits limits) {
        try {
            FerryDirs.createPrivateDir(dataDir);
            FerryDirs.createPrivateFile(dataDir.resolve(FILE_NAME));
            return new SqliteStore(dataDir, clock, limits);
        } catch (Exception e) {
            throw new IllegalStateException("cannot open Ferry's store " + dataDir.resolve(FILE_NAME) + ": "
                    + e.getMessage() + " (set FERRY_DATA_DIR to a writable directory)", e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
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
    private interface Body<T> {
        T run() throws SQLException;
    }

    private PreparedStatement ps(String sql) throws SQLException {
        PreparedStatement p = statements.get(sql);
        if (p == null) {
            p = db.prepareStatement(sql);
            statements.put(sql, p);
        } else {
            p.clearParameters();
        }
        return p;
    }

    private <T> T write(Body<T> body) throws SQLException {
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

    private <T> T writeTx(Body<T> body) {
        try {
            return write(body);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private <T> T readTx(Body<T> body) {
        try {
            return tx("BEGIN", body);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private IllegalStateException failure(SQLException e) {
        return new IllegalStateException("Ferry's store " + file + ": " + e.getMessage(), e);
    }

    private Long findId(Kind kind, String name) throws SQLException {
        PreparedStatement p = ps("SELECT id FROM objects WHERE kind = ? AND name = ?");
        p.setString(1, kind.name());
        p.setString(2, name);
        try (ResultSet rs = p.executeQuery()) {
            return rs.next() ? rs.getLong(1) : null;
        }
    }

    private long id(Kind kind, String name) throws SQLException {
        Long id = findId(kind, name);
        if (id == null) {
            throw new NoSuchElementException(Names.describe(kind, name) + " does not exist (was it deleted?)");
        }
        return id;
    }

    private void deleteContents(long id) throws SQLException {
        for (String sql : new String[] {"DELETE FROM dict_entries WHERE obj = ?",
                "DELETE FROM queue_items WHERE obj = ?", "DELETE FROM queue_partitions WHERE obj = ?",
                "DELETE FROM objects WHERE id = ?"}) {
            PreparedStatement p = ps(sql);
            p.setLong(1, id);
            p.executeUpdate();
        }
    }

    // ------------------------------------------------------------------ objects

    @Override
    public boolean exists(Kind kind, String name) {
        return readTx(() -> findId(kind, name) != null);
    }

    @Override
    public boolean create(Kind kind, String name) {
        Names.checkName(kind, name);
        return writeTx(() -> insertObject(kind, name, null, null));
    }

    private boolean insertObject(Kind kind, String name, Long pid, Long startMs) throws SQLException {
        PreparedStatement p = ps("INSERT OR IGNORE INTO objects (kind, name, owner_pid, owner_start_ms, created_ms)"
                + " VALUES (?, ?, ?, ?, ?)");
        p.setString(1, kind.name());
        p.setString(2, name);
        p.setObject(3, pid);
        p.setObject(4, startMs);
        p.setLong(5, clock.millis());
        return p.executeUpdate() == 1;
    }

    @Override
    public String createEphemeral(Kind kind) {
        String name = Names.EPHEMERAL_PREFIX + UUID.randomUUID();
        ProcessHandle self = ProcessHandle.current();
        Long start = self.info().startInstant().map(i -> i.toEpochMilli()).orElse(null);
        writeTx(() -> insertObject(kind, name, self.pid(), start));
        ephemerals.add(kind.name() + ':' + name);
        return name;
    }

    @Override
    public boolean delete(Kind kind, String name) {
        boolean deleted = writeTx(() -> {
            Long id = findId(kind, name);
            if (id == null) {
                return false;
            }
            deleteContents(id);
            return true;
        });
        ephemerals.remove(kind.name() + ':' + name);
        return deleted;
    }

    @Override
    public List<String> list(Kind kind) {
        return readTx(() -> {
            PreparedStatement p = ps("SELECT name FROM objects WHERE kind = ? AND owner_pid IS NULL ORDER BY name");
            p.setString(1, kind.name());
            List<String> names = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    names.add(rs.getString(1));
                }
            }
            return names;
        });
    }

    // ------------------------------------------------------------------ dict

    @Override
    public byte[] dictGet(String dict, byte[] key) {
        return readTx(() -> {
            PreparedStatement p = ps("SELECT v FROM dict_entries WHERE obj = ? AND k = ?");
            p.setLong(1, id(Kind.DICT, dict));
            p.setBytes(2, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next() ? rs.getBytes(1) : null;
            }
        });
    }

    @Override
    public boolean dictContains(String dict, byte[] key) {
        return readTx(() -> {
            PreparedStatement p = ps("SELECT 1 FROM dict_entries WHERE obj = ? AND k = ?");
            p.setLong(1, id(Kind.DICT, dict));
            p.setBytes(2, key);
            try (ResultSet rs = p.executeQuery()) {
                return rs.next();
            }
        });
    }

    @Override
    public void dictPut(String dict, byte[] key, byte[] value) {
        dictPutAll(dict, List.of(new AbstractMap.SimpleImmutableEntry<>(key, value)));
    }

    @Override
    public boolean dictPutIfAbsent(String dict, byte[] key, byte[] value) {
        return writeTx(() -> {
            PreparedStatement p = ps("INSERT OR IGNORE INTO dict_entries (obj, k, v) VALUES (?, ?, ?)");
            p.setLong(1, id(Kind.DICT, dict));
            p.setBytes(2, key);
            p.setBytes(3, value);
            return p.executeUpdate() == 1;
        });
    }

    @Override
    public void dictPutAll(String dict, List<Map.Entry<byte[], byte[]>> entries) {
        writeTx(() -> {
            long id = id(Kind.DICT, dict);
            PreparedStatement p = ps("INSERT INTO dict_entries (obj, k, v) VALUES (?, ?, ?)"
                    + " ON CONFLICT (obj, k) DO UPDATE SET v = excluded.v");
            for (Map.Entry<byte[], byte[]> e : entries) {
                p.setLong(1, id);
                p.setBytes(2, e.getKey());
                p.setBytes(3, e.getValue());
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public byte[] dictRemove(String dict, byte[] key) {
        return writeTx(() -> {
            long id = id(Kind.DICT, dict);
            PreparedStatement p = ps("SELECT v FROM dict_entries WHERE obj = ? AND k = ?");
            p.setLong(1, id);
            p.setBytes(2, key);
            byte[] old;
            try (ResultSet rs = p.executeQuery()) {
                old = rs.next() ? rs.getBytes(1) : null;
            }
            if (old != null) {
                PreparedStatement d = ps("DELETE FROM dict_entries WHERE obj = ? AND k = ?");
                d.setLong(1, id);
                d.setBytes(2, key);
                d.executeUpdate();
            }
            return old;
        });
    }

    @Override
    public long dictSize(String dict) {
        return readTx(() -> {
            PreparedStatement p = ps("SELECT count(*) FROM dict_entries WHERE obj = ?");
            p.setLong(1, id(Kind.DICT, dict));
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public List<Map.Entry<byte[], byte[]>> dictItems(String dict) {
        return readTx(() -> {
            PreparedStatement p = ps("SELECT k, v FROM dict_entries WHERE obj = ? ORDER BY k");
            p.setLong(1, id(Kind.DICT, dict));
            List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new AbstractMap.SimpleImmutableEntry<>(rs.getBytes(1), rs.getBytes(2)));
                }
            }
            return out;
        });
    }

    @Override
    public void dictClear(String dict) {
        writeTx(() -> {
            PreparedStatement p = ps("DELETE FROM dict_entries WHERE obj = ?");
            p.setLong(1, id(Kind.DICT, dict));
            p.executeUpdate();
            return null;
        });
    }

    // ------------------------------------------------------------------ queue

    /** A partition's row: item count and expiry (null: none). */
    private record Partition(long n, Long ttlMs, Long expiresMs) {
        boolean expired(long now) {
            return expiresMs != null && expiresMs <= now;
        }
    }

    private Partition partitionRow(long id, String part) throws SQLException {
        PreparedStatement p = ps("SELECT n, ttl_ms, expires_ms FROM queue_partitions WHERE obj = ? AND part = ?");
        p.setLong(1, id);
        p.setString(2, part);
        try (ResultSet rs = p.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            long n = rs.getLong(1);
            long ttl = rs.getLong(2);
            Long ttlMs = rs.wasNull() ? null : ttl;
            long exp = rs.getLong(3);
            Long expMs = rs.wasNull() ? null : exp;
            return new Partition(n, ttlMs, expMs);
        }
    }

    /** A live partition row, purging it first when it has expired (inside a write transaction). */
    private Partition livePartition(long id, String part, long now) throws SQLException {
        Partition row = partitionRow(id, part);
        if (row != null && row.expired(now)) {
            clearPartition(id, part);
            return null;
        }
        return row;
    }

    private void clearPartition(long id, String part) throws SQLException {
        for (String sql : new String[] {"DELETE FROM queue_items WHERE obj = ? AND part = ?",
                "DELETE FROM queue_partitions WHERE obj = ? AND part = ?"}) {
            PreparedStatement p = ps(sql);
            p.setLong(1, id);
            p.setString(2, part);
            p.executeUpdate();
        }
    }

    @Override
    public void queuePut(String queue, String partition, List<byte[]> items, Duration ttl) {
        String part = Names.partition(partition);
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException("a partition TTL must be positive, got " + ttl);
        }
        for (int i = 0; i < items.size(); i++) {
            byte[] item = items.get(i);
            if (item.length > limits.maxItemBytes()) {
                throw new IllegalArgumentException(Names.describe(Kind.QUEUE, queue) + ": "
                        + (items.size() == 1 ? "the item" : "item " + i + " of " + items.size()) + " is "
                        + String.format("%,d", item.length) + " bytes encoded, over the limit of "
                        + String.format("%,d", limits.maxItemBytes()) + " bytes per item; nothing was put");
            }
        }
        if (items.isEmpty()) {
            readTx(() -> id(Kind.QUEUE, queue));
            return;
        }
        writeTx(() -> {
            long id = id(Kind.QUEUE, queue);
            long now = clock.millis();
            Partition row = livePartition(id, part, now);
            if (row == null) {
                long count = countPartitions(id);
                if (count >= limits.maxPartitions()) {
                    purgeExpiredPartitions(id, now);
                    count = countPartitions(id);
                }
                if (count >= limits.maxPartitions()) {
                    throw new IllegalStateException(Names.describe(Kind.QUEUE, queue) + " already has "
                            + String.format("%,d", count) + " partitions, the limit; a new "
                            + Names.describePartition(part) + " would exceed it; nothing was put");
                }
            }
            long n = row == null ? 0 : row.n();
            if (n + items.size() > limits.maxItemsPerPartition()) {
                throw new IllegalStateException(Names.describe(Kind.QUEUE, queue) + ": "
                        + Names.describePartition(part) + " holds " + String.format("%,d", n) + " items; putting "
                        + String.format("%,d", items.size()) + " more would exceed the limit of "
                        + String.format("%,d", limits.maxItemsPerPartition()) + " items per partition; nothing was put");
            }
            PreparedStatement ins = ps("INSERT INTO queue_items (obj, part, v) VALUES (?, ?, ?)");
            for (byte[] item : items) {
                ins.setLong(1, id);
                ins.setString(2, part);
                ins.setBytes(3, item);
                ins.executeUpdate();
            }
            Long ttlMs = ttl != null ? Long.valueOf(ttl.toMillis()) : row != null ? row.ttlMs() : null;
            PreparedStatement up = ps("INSERT OR REPLACE INTO queue_partitions (obj, part, n, ttl_ms, expires_ms)"
                    + " VALUES (?, ?, ?, ?, ?)");
            up.setLong(1, id);
            up.setString(2, part);
            up.setLong(3, n + items.size());
            up.setObject(4, ttlMs);
            up.setObject(5, ttlMs == null ? null : now + ttlMs);
            up.executeUpdate();
            return null;
        });
        synchronized (signal) {
            putEpoch++;
            signal.notifyAll();
        }
    }

    private long countPartitions(long id) throws SQLException {
        PreparedStatement p = ps("SELECT count(*) FROM queue_partitions WHERE obj = ?");
        p.setLong(1, id);
        try (ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void purgeExpiredPartitions(long id, long now) throws SQLException {
        PreparedStatement p = ps("SELECT part FROM queue_partitions WHERE obj = ? AND expires_ms <= ?");
        p.setLong(1, id);
        p.setLong(2, now);
        List<String> expired = new ArrayList<>();
        try (ResultSet rs = p.executeQuery()) {
            while (rs.next()) {
                expired.add(rs.getString(1));
            }
        }
        for (String part : expired) {
            clearPartition(id, part);
        }
    }

    /** One attempt: removes up to max items from the head of a partition in one write transaction. */
    private List<byte[]> take(String queue, String part, int max) throws SQLException {
        return write(() -> {
            long id = id(Kind.QUEUE, queue);
            Partition row = livePartition(id, part, clock.millis());
            if (row == null || row.n() == 0) {
                return List.of();
            }
            PreparedStatement sel = ps("SELECT seq, v FROM queue_items WHERE obj = ? AND part = ? ORDER BY seq LIMIT ?");
            sel.setLong(1, id);
            sel.setString(2, part);
            sel.setInt(3, max);
            List<byte[]> out = new ArrayList<>(Math.min(max, 1024));
            long last = -1;
            try (ResultSet rs = sel.executeQuery()) {
                while (rs.next()) {
                    last = rs.getLong(1);
                    out.add(rs.getBytes(2));
                }
            }
            if (out.isEmpty()) {
                return out;
            }
            PreparedStatement del = ps("DELETE FROM queue_items WHERE obj = ? AND part = ? AND seq <= ?");
            del.setLong(1, id);
            del.setString(2, part);
            del.setLong(3, last);
            del.executeUpdate();
            long left = row.n() - out.size();
            if (left <= 0) {
                PreparedStatement d = ps("DELETE FROM queue_partitions WHERE obj = ? AND part = ?");
                d.setLong(1, id);
                d.setString(2, part);
                d.executeUpdate();
            } else {
                PreparedStatement u = ps("UPDATE queue_partitions SET n = ? WHERE obj = ? AND part = ?");
                u.setLong(1, left);
                u.setLong(2, id);
                u.setString(3, part);
                u.executeUpdate();
            }
            return out;
        });
    }

    @Override
    public List<byte[]> queueGet(String queue, String partition, int max, Duration timeout)
            throws InterruptedException {
        if (max < 1) {
            throw new IllegalArgumentException("get at least one item, not " + max);
        }
        String part = Names.partition(partition);
        long start = System.nanoTime();
        long waitNanos = timeout == null ? Long.MAX_VALUE : Math.max(0, saturatedNanos(timeout));
        long backoff = MIN_BACKOFF_NANOS;
        while (true) {
            long epoch;
            synchronized (signal) {
                epoch = putEpoch;
            }
            long version = dataVersion();
            List<byte[]> got;
            try {
                got = take(queue, part, max);
            } catch (SQLException e) {
                throw failure(e);
            }
            if (!got.isEmpty()) {
                return got;
            }
            // nothing there: wait for a put in this process (signal) or in another one (data_version)
            while (true) {
                long left = waitNanos == Long.MAX_VALUE ? Long.MAX_VALUE : waitNanos - (System.nanoTime() - start);
                if (left <= 0) {
                    return List.of();
                }
                boolean changed;
                synchronized (signal) {
                    if (putEpoch == epoch && !closed) {
                        TimeUnit.NANOSECONDS.timedWait(signal, Math.min(backoff, left));
                    }
                    changed = putEpoch != epoch;
                }
                if (closed) {
                    throw new IllegalStateException("Ferry's store " + file + " was closed while waiting on "
                            + Names.describe(Kind.QUEUE, queue));
                }
                if (changed || dataVersion() != version) {
                    backoff = MIN_BACKOFF_NANOS;
                    break;
                }
                backoff = Math.min(backoff * 2, MAX_BACKOFF_NANOS);
            }
        }
    }

    private static long saturatedNanos(Duration d) {
        try {
            return d.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** SQLite's data_version on the watch connection: it changes when another connection commits. */
    private long dataVersion() {
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

    @Override
    public long queueSize(String queue, String partition) {
        String part = Names.partition(partition);
        return readTx(() -> {
            Partition row = partitionRow(id(Kind.QUEUE, queue), part);
            return row == null || row.expired(clock.millis()) ? 0L : row.n();
        });
    }

    @Override
    public long queueTotalSize(String queue) {
        return readTx(() -> {
            PreparedStatement p = ps("SELECT coalesce(sum(n), 0) FROM queue_partitions WHERE obj = ?"
                    + " AND (expires_ms IS NULL OR expires_ms > ?)");
            p.setLong(1, id(Kind.QUEUE, queue));
            p.setLong(2, clock.millis());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    @Override
    public void queueClear(String queue, String partition) {
        String part = Names.partition(partition);
        writeTx(() -> {
            clearPartition(id(Kind.QUEUE, queue), part);
            return null;
        });
    }

    @Override
    public void queueClearAll(String queue) {
        writeTx(() -> {
            long id = id(Kind.QUEUE, queue);
            for (String sql : new String[] {"DELETE FROM queue_items WHERE obj = ?",
                    "DELETE FROM queue_partitions WHERE obj = ?"}) {
                PreparedStatement p = ps(sql);
                p.setLong(1, id);
                p.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<Peeked> queuePeek(String queue, String partition, long afterSeq, int limit) {
        String part = Names.partition(partition);
        return readTx(() -> {
            long id = id(Kind.QUEUE, queue);
            Partition row = partitionRow(id, part);
            if (row == null || row.expired(clock.millis())) {
                return List.of();
            }
            PreparedStatement p = ps("SELECT seq, v FROM queue_items WHERE obj = ? AND part = ? AND seq > ?"
                    + " ORDER BY seq LIMIT ?");
            p.setLong(1, id);
            p.setString(2, part);
            p.setLong(3, afterSeq);
            p.setInt(4, limit);
            List<Peeked> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Peeked(rs.getLong(1), rs.getBytes(2)));
                }
            }
            return out;
        });
    }

    // ------------------------------------------------------------------ close

    /** Deletes the ephemeral objects this store created, then closes the database. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            for (String key : List.copyOf(ephemerals)) {
                int colon = key.indexOf(':');
                try {
                    delete(Kind.valueOf(key.substring(0, colon)), key.substring(colon + 1));
                } catch (RuntimeException ignored) {
                    // best effort: a later open purges ephemerals of dead processes
                }
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
        synchronized (signal) {
            signal.notifyAll();
        }
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down
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

package dev.ferry.storage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

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
 *
 * <p>Parts: {@link SqliteDb} (connections, schema, transactions), {@link SqliteDicts}, {@link SqliteQueues};
 * this class owns the objects (named and ephemeral) and the life cycle.
 */
public final class SqliteStore implements Store {
    /** The database's file name inside the data directory. */
    public static final String FILE_NAME = "store.sqlite";

    private final SqliteDb db;
    private final SqliteDicts dicts;
    private final SqliteQueues queues;
    private final Set<String> ephemerals = ConcurrentHashMap.newKeySet(); // kind + ':' + name, created here
    private final Thread shutdownHook;

    private SqliteStore(Path dataDir, Clock clock, Limits limits) throws SQLException {
        this.db = new SqliteDb(dataDir.resolve(FILE_NAME), clock);
        this.dicts = new SqliteDicts(db);
        this.queues = new SqliteQueues(db, limits);
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
        return db.file;
    }

    // ------------------------------------------------------------------ objects

    @Override
    public boolean exists(Kind kind, String name) {
        return db.readTx(() -> db.findId(kind, name) != null);
    }

    @Override
    public boolean create(Kind kind, String name) {
        Names.checkName(kind, name);
        return db.writeTx(() -> insertObject(kind, name, null, null));
    }

    private boolean insertObject(Kind kind, String name, Long pid, Long startMs) throws SQLException {
        PreparedStatement p = db.ps("INSERT OR IGNORE INTO objects (kind, name, owner_pid, owner_start_ms, created_ms)"
                + " VALUES (?, ?, ?, ?, ?)");
        p.setString(1, kind.name());
        p.setString(2, name);
        p.setObject(3, pid);
        p.setObject(4, startMs);
        p.setLong(5, db.clock.millis());
        return p.executeUpdate() == 1;
    }

    @Override
    public String createEphemeral(Kind kind) {
        String name = Names.EPHEMERAL_PREFIX + UUID.randomUUID();
        ProcessHandle self = ProcessHandle.current();
        Long start = self.info().startInstant().map(i -> i.toEpochMilli()).orElse(null);
        db.writeTx(() -> insertObject(kind, name, self.pid(), start));
        ephemerals.add(kind.name() + ':' + name);
        return name;
    }

    @Override
    public boolean delete(Kind kind, String name) {
        boolean deleted = db.writeTx(() -> {
            Long id = db.findId(kind, name);
            if (id == null) {
                return false;
            }
            db.deleteContents(id);
            return true;
        });
        ephemerals.remove(kind.name() + ':' + name);
        return deleted;
    }

    @Override
    public List<String> list(Kind kind) {
        return db.readTx(() -> {
            PreparedStatement p = db.ps("SELECT name FROM objects WHERE kind = ? AND owner_pid IS NULL ORDER BY name");
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

    // ------------------------------------------------------------------ dict and queue

    @Override
    public byte[] dictGet(String dict, byte[] key) {
        return dicts.dictGet(dict, key);
    }

    @Override
    public boolean dictContains(String dict, byte[] key) {
        return dicts.dictContains(dict, key);
    }

    @Override
    public void dictPut(String dict, byte[] key, byte[] value) {
        dicts.dictPut(dict, key, value);
    }

    @Override
    public boolean dictPutIfAbsent(String dict, byte[] key, byte[] value) {
        return dicts.dictPutIfAbsent(dict, key, value);
    }

    @Override
    public void dictPutAll(String dict, List<Map.Entry<byte[], byte[]>> entries) {
        dicts.dictPutAll(dict, entries);
    }

    @Override
    public byte[] dictRemove(String dict, byte[] key) {
        return dicts.dictRemove(dict, key);
    }

    @Override
    public long dictSize(String dict) {
        return dicts.dictSize(dict);
    }

    @Override
    public List<Map.Entry<byte[], byte[]>> dictItems(String dict) {
        return dicts.dictItems(dict);
    }

    @Override
    public void dictClear(String dict) {
        dicts.dictClear(dict);
    }

    @Override
    public void queuePut(String queue, String partition, List<byte[]> items, Duration ttl) {
        queues.queuePut(queue, partition, items, ttl);
    }

    @Override
    public List<byte[]> queueGet(String queue, String partition, int max, Duration timeout)
            throws InterruptedException {
        return queues.queueGet(queue, partition, max, timeout);
    }

    @Override
    public long queueSize(String queue, String partition) {
        return queues.queueSize(queue, partition);
    }

    @Override
    public long queueTotalSize(String queue) {
        return queues.queueTotalSize(queue);
    }

    @Override
    public void queueClear(String queue, String partition) {
        queues.queueClear(queue, partition);
    }

    @Override
    public void queueClearAll(String queue) {
        queues.queueClearAll(queue);
    }

    @Override
    public List<Peeked> queuePeek(String queue, String partition, long afterSeq, int limit) {
        return queues.queuePeek(queue, partition, afterSeq, limit);
    }

    // ------------------------------------------------------------------ close

    /** Deletes the ephemeral objects this store created, then closes the database. */
    @Override
    public void close() {
        db.lock.lock();
        try {
            if (db.closed()) {
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
            db.close();
        } finally {
            db.lock.unlock();
        }
        queues.wakeAll();
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException ignored) {
                // the JVM is shutting down
            }
        }
    }
}

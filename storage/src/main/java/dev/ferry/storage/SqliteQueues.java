package dev.ferry.storage;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Queue operations of the embedded store: partitions with item counts and expiry
 * ({@code queue_partitions}), items in FIFO order ({@code queue_items}). A blocked get is woken in-process by
 * a signal from puts, and across processes by polling {@code PRAGMA data_version} with a backoff from 1 ms
 * up to 20 ms.
 */
final class SqliteQueues {
    static final long MAX_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(20);
    static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final SqliteDb db;
    private final Limits limits;
    private final Object signal = new Object();
    private long putEpoch; // guarded by signal

    SqliteQueues(SqliteDb db, Limits limits) {
        this.db = db;
        this.limits = limits;
    }

    /** Wakes blocked gets (the store is closing). */
    void wakeAll() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    /** A partition's row: item count and expiry (null: none). */
    private record Partition(long n, Long ttlMs, Long expiresMs) {
        boolean expired(long now) {
            return expiresMs != null && expiresMs <= now;
        }
    }

    private Partition partitionRow(long id, String part) throws SQLException {
        PreparedStatement p = db.ps("SELECT n, ttl_ms, expires_ms FROM queue_partitions WHERE obj = ? AND part = ?");
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
            PreparedStatement p = db.ps(sql);
            p.setLong(1, id);
            p.setString(2, part);
            p.executeUpdate();
        }
    }

    void queuePut(String queue, String partition, List<byte[]> items, Duration ttl) {
        String part = Names.partition(partition);
        if (ttl != null && (ttl.isNegative() || ttl.isZero())) {
            throw new IllegalArgumentException("a partition TTL must be positive, got " + ttl);
        }
        for (int i = 0; i < items.size(); i++) {
            byte[] item = items.get(i);
            if (item.length > limits.maxItemBytes()) {
                throw new IllegalArgumentException(Names.describe(Store.Kind.QUEUE, queue) + ": "
                        + (items.size() == 1 ? "the item" : "item " + i + " of " + items.size()) + " is "
                        + String.format("%,d", item.length) + " bytes encoded, over the limit of "
                        + String.format("%,d", limits.maxItemBytes()) + " bytes per item; nothing was put");
            }
        }
        if (items.isEmpty()) {
            db.readTx(() -> db.id(Store.Kind.QUEUE, queue));
            return;
        }
        db.writeTx(() -> {
            long id = db.id(Store.Kind.QUEUE, queue);
            long now = db.clock.millis();
            Partition row = livePartition(id, part, now);
            if (row == null) {
                long count = countPartitions(id);
                if (count >= limits.maxPartitions()) {
                    purgeExpiredPartitions(id, now);
                    count = countPartitions(id);
                }
                if (count >= limits.maxPartitions()) {
                    throw new IllegalStateException(Names.describe(Store.Kind.QUEUE, queue) + " already has "
                            + String.format("%,d", count) + " partitions, the limit; a new "
                            + Names.describePartition(part) + " would exceed it; nothing was put");
                }
            }
            long n = row == null ? 0 : row.n();
            if (n + items.size() > limits.maxItemsPerPartition()) {
                throw new IllegalStateException(Names.describe(Store.Kind.QUEUE, queue) + ": "
                        + Names.describePartition(part) + " holds " + String.format("%,d", n) + " items; putting "
                        + String.format("%,d", items.size()) + " more would exceed the limit of "
                        + String.format("%,d", limits.maxItemsPerPartition()) + " items per partition; nothing was put");
            }
            PreparedStatement ins = db.ps("INSERT INTO queue_items (obj, part, v) VALUES (?, ?, ?)");
            for (byte[] item : items) {
                ins.setLong(1, id);
                ins.setString(2, part);
                ins.setBytes(3, item);
                ins.executeUpdate();
            }
            Long ttlMs = ttl != null ? Long.valueOf(ttl.toMillis()) : row != null ? row.ttlMs() : null;
            PreparedStatement up = db.ps("INSERT OR REPLACE INTO queue_partitions (obj, part, n, ttl_ms, expires_ms)"
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
        PreparedStatement p = db.ps("SELECT count(*) FROM queue_partitions WHERE obj = ?");
        p.setLong(1, id);
        try (ResultSet rs = p.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private void purgeExpiredPartitions(long id, long now) throws SQLException {
        PreparedStatement p = db.ps("SELECT part FROM queue_partitions WHERE obj = ? AND expires_ms <= ?");
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
        return db.write(() -> {
            long id = db.id(Store.Kind.QUEUE, queue);
            Partition row = livePartition(id, part, db.clock.millis());
            if (row == null || row.n() == 0) {
                return List.of();
            }
            PreparedStatement sel = db.ps("SELECT seq, v FROM queue_items WHERE obj = ? AND part = ? ORDER BY seq LIMIT ?");
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
            PreparedStatement del = db.ps("DELETE FROM queue_items WHERE obj = ? AND part = ? AND seq <= ?");
            del.setLong(1, id);
            del.setString(2, part);
            del.setLong(3, last);
            del.executeUpdate();
            long left = row.n() - out.size();
            if (left <= 0) {
                PreparedStatement d = db.ps("DELETE FROM queue_partitions WHERE obj = ? AND part = ?");
                d.setLong(1, id);
                d.setString(2, part);
                d.executeUpdate();
            } else {
                PreparedStatement u = db.ps("UPDATE queue_partitions SET n = ? WHERE obj = ? AND part = ?");
                u.setLong(1, left);
                u.setLong(2, id);
                u.setString(3, part);
                u.executeUpdate();
            }
            return out;
        });
    }

    List<byte[]> queueGet(String queue, String partition, int max, Duration timeout)
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
            long version = db.dataVersion();
            List<byte[]> got;
            try {
                got = take(queue, part, max);
            } catch (SQLException e) {
                throw db.failure(e);
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
                    if (putEpoch == epoch && !db.closed()) {
                        TimeUnit.NANOSECONDS.timedWait(signal, Math.min(backoff, left));
                    }
                    changed = putEpoch != epoch;
                }
                if (db.closed()) {
                    throw new IllegalStateException("Ferry's store " + db.file + " was closed while waiting on "
                            + Names.describe(Store.Kind.QUEUE, queue));
                }
                if (changed || db.dataVersion() != version) {
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

    long queueSize(String queue, String partition) {
        String part = Names.partition(partition);
        return db.readTx(() -> {
            Partition row = partitionRow(db.id(Store.Kind.QUEUE, queue), part);
            return row == null || row.expired(db.clock.millis()) ? 0L : row.n();
        });
    }

    long queueTotalSize(String queue) {
        return db.readTx(() -> {
            PreparedStatement p = db.ps("SELECT coalesce(sum(n), 0) FROM queue_partitions WHERE obj = ?"
                    + " AND (expires_ms IS NULL OR expires_ms > ?)");
            p.setLong(1, db.id(Store.Kind.QUEUE, queue));
            p.setLong(2, db.clock.millis());
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        });
    }

    void queueClear(String queue, String partition) {
        String part = Names.partition(partition);
        db.writeTx(() -> {
            clearPartition(db.id(Store.Kind.QUEUE, queue), part);
            return null;
        });
    }

    void queueClearAll(String queue) {
        db.writeTx(() -> {
            long id = db.id(Store.Kind.QUEUE, queue);
            for (String sql : new String[] {"DELETE FROM queue_items WHERE obj = ?",
                    "DELETE FROM queue_partitions WHERE obj = ?"}) {
                PreparedStatement p = db.ps(sql);
                p.setLong(1, id);
                p.executeUpdate();
            }
            return null;
        });
    }

    List<Store.Peeked> queuePeek(String queue, String partition, long afterSeq, int limit) {
        String part = Names.partition(partition);
        return db.readTx(() -> {
            long id = db.id(Store.Kind.QUEUE, queue);
            Partition row = partitionRow(id, part);
            if (row == null || row.expired(db.clock.millis())) {
                return List.of();
            }
            PreparedStatement p = db.ps("SELECT seq, v FROM queue_items WHERE obj = ? AND part = ? AND seq > ?"
                    + " ORDER BY seq LIMIT ?");
            p.setLong(1, id);
            p.setString(2, part);
            p.setLong(3, afterSeq);
            p.setInt(4, limit);
            List<Store.Peeked> out = new ArrayList<>();
            try (ResultSet rs = p.executeQuery()) {
                while (rs.next()) {
                    out.add(new Store.Peeked(rs.getLong(1), rs.getBytes(2)));
                }
            }
            return out;
        });
    }
}

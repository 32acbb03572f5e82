package dev.ferry.server.functions;

import dev.ferry.proto.v1.CallState;
import dev.ferry.proto.v1.LogChunk;
import dev.ferry.storage.FerryDirs;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Function calls, their inputs and results, in {@code calls.sqlite} (WAL, synchronous=FULL: a call is on disk
 * before Spawn answers). A call ends once: {@link #finish} only changes a call that is pending or running, so a
 * call re-run after a crash, a retry or a cancel cannot record a second outcome.
 */
public final class CallsDb implements AutoCloseable {
    /** How long finished calls and their results are kept (Modal keeps them 7 days too). */
    public static final long RETENTION_MS = 7L * 24 * 3600 * 1000;

    /** One call as stored; {@code spec} and {@code args} are the FunctionSpec and Values messages' bytes. */
    public record Row(String id, String function, byte[] spec, byte[] args, CallState state, int attempts,
                      byte[] result, byte[] error, long createdMs, long finishedMs, String app, long startedMs) {
        public boolean finished() {
            return !(state == CallState.CALL_STATE_PENDING || state == CallState.CALL_STATE_RUNNING);
        }
    }

    private static final String OPEN = "(" + CallState.CALL_STATE_PENDING_VALUE + "," + CallState.CALL_STATE_RUNNING_VALUE + ")";
    private final Connection db;

    private CallsDb(Connection db) {
        this.db = db;
    }

    public static CallsDb open(Path file) throws IOException {
        FerryDirs.createPrivateFile(file);
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS calls (id TEXT PRIMARY KEY, function TEXT NOT NULL, spec BLOB NOT NULL,"
                        + " args BLOB NOT NULL, state INTEGER NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, result BLOB,"
                        + " error BLOB, created_ms INTEGER NOT NULL, finished_ms INTEGER NOT NULL DEFAULT 0)");
                s.execute("CREATE INDEX IF NOT EXISTS calls_open ON calls (state, created_ms)");
                s.execute("CREATE TABLE IF NOT EXISTS logs (call_id TEXT NOT NULL, seq INTEGER NOT NULL, attempt INTEGER NOT NULL,"
                        + " stream TEXT NOT NULL, text TEXT NOT NULL, PRIMARY KEY (call_id, seq))");
                addColumn(s, "app TEXT NOT NULL DEFAULT ''"); // the app a call belongs to (apps, docs/apps.md)
                addColumn(s, "started_ms INTEGER NOT NULL DEFAULT 0");
                s.execute("CREATE INDEX IF NOT EXISTS calls_app ON calls (app, function, created_ms)");
            }
            return new CallsDb(c);
        } catch (SQLException e) {
            throw new IOException("cannot open the calls database " + file + ": " + e.getMessage(), e);
        }
    }

    /** A column added to a calls table of an older server, when it lacks it. */
    private static void addColumn(Statement s, String column) throws SQLException {
        String name = column.substring(0, column.indexOf(' '));
        try (ResultSet rs = s.executeQuery("SELECT count(*) FROM pragma_table_info('calls') WHERE name = '" + name + "'")) {
            if (rs.next() && rs.getInt(1) > 0) {
                return;
            }
        }
        s.execute("ALTER TABLE calls ADD COLUMN " + column);
    }

    /** Records a new pending call. */
    public synchronized void insert(String id, String function, byte[] spec, byte[] args, long nowMs) {
        insert(id, function, spec, args, nowMs, "");
    }

    /** Records a new pending call of {@code app} (empty: none). */
    public synchronized void insert(String id, String function, byte[] spec, byte[] args, long nowMs, String app) {
        update("INSERT INTO calls (id, function, spec, args, state, created_ms, app) VALUES (?, ?, ?, ?, ?, ?, ?)",
                id, function, spec, args, CallState.CALL_STATE_PENDING_VALUE, nowMs, app == null ? "" : app);
    }

    /** The calls of {@code app} (of one function when {@code function} is not empty), newest first. */
    public synchronized List<Row> listApp(String app, String function, int limit) {
        return function == null || function.isEmpty()
                ? query("SELECT * FROM calls WHERE app = ? ORDER BY created_ms DESC, id DESC LIMIT ?", app, limit)
                : query("SELECT * FROM calls WHERE app = ? AND function = ? ORDER BY created_ms DESC, id DESC LIMIT ?",
                app, function, limit);
    }

    /** Marks an attempt started; returns the attempt's number, or -1 when the call already ended (cancelled). */
    public synchronized int start(String id) {
        if (update("UPDATE calls SET state = ?, attempts = attempts + 1,"
                + " started_ms = CASE WHEN started_ms = 0 THEN ? ELSE started_ms END WHERE id = ? AND state IN " + OPEN,
                CallState.CALL_STATE_RUNNING_VALUE, System.currentTimeMillis(), id) == 0) {
            return -1;
        }
        Row r = get(id);
        return r == null ? -1 : r.attempts();
    }

    /** Ends a call that is still pending or running; returns false when it had ended already. */
    public synchronized boolean finish(String id, CallState state, byte[] result, byte[] error, long nowMs) {
        return update("UPDATE calls SET state = ?, result = ?, error = ?, finished_ms = ? WHERE id = ? AND state IN " + OPEN,
                state.getNumber(), result, error, nowMs, id) == 1;
    }

    public synchronized Row get(String id) {
        List<Row> rows = query("SELECT * FROM calls WHERE id = ?", id);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** Those of these calls that have ended. */
    public synchronized List<Row> finishedAmong(List<String> ids) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < ids.size(); i += 500) {
            List<String> part = ids.subList(i, Math.min(ids.size(), i + 500));
            out.addAll(query("SELECT * FROM calls WHERE state NOT IN " + OPEN + " AND id IN ("
                    + String.join(",", java.util.Collections.nCopies(part.size(), "?")) + ")", part.toArray()));
        }
        return out;
    }

    /** Newest first. */
    public synchronized List<Row> list(int limit) {
        return query("SELECT * FROM calls ORDER BY created_ms DESC, id DESC LIMIT ?", limit);
    }

    /** Calls accepted and not ended, oldest first. */
    public synchronized List<Row> unfinished() {
        return query("SELECT * FROM calls WHERE state IN " + OPEN + " ORDER BY created_ms, id");
    }

    public synchronized long inFlight() {
        try (Statement s = db.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM calls WHERE state IN " + OPEN)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("calls database: " + e.getMessage(), e);
        }
    }

    /** Deletes calls that ended before {@code beforeMs}; returns how many. */
    public synchronized int purge(long beforeMs) {
        update("DELETE FROM logs WHERE call_id IN (SELECT id FROM calls WHERE finished_ms > 0 AND finished_ms < ? AND state NOT IN "
                + OPEN + ")", beforeMs);
        return update("DELETE FROM calls WHERE finished_ms > 0 AND finished_ms < ? AND state NOT IN " + OPEN, beforeMs);
    }

    /** Appends a call's log chunks, numbered from {@code firstSeq}. */
    public synchronized void appendLogs(String id, int firstSeq, List<LogChunk> chunks) {
        if (chunks.isEmpty()) {
            return;
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT OR REPLACE INTO logs (call_id, seq, attempt, stream, text) VALUES (?, ?, ?, ?, ?)")) {
            db.setAutoCommit(false);
            int seq = firstSeq;
            for (LogChunk c : chunks) {
                bind(ps, id, seq++, c.getAttempt(), c.getStream(), c.getText());
                ps.addBatch();
            }
            ps.executeBatch();
            db.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("calls database: " + e.getMessage(), e);
        } finally {
            try {
                db.setAutoCommit(true);
            } catch (SQLException e) {
                // the next statement reports it
            }
        }
    }

    /** A call's log chunks from {@code from} on, in order. */
    public synchronized List<LogChunk> logs(String id, int from) {
        try (PreparedStatement ps = db.prepareStatement("SELECT attempt, stream, text FROM logs WHERE call_id = ? AND seq >= ? ORDER BY seq")) {
            bind(ps, id, from);
            List<LogChunk> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(LogChunk.newBuilder().setAttempt(rs.getInt(1)).setStream(rs.getString(2)).setText(rs.getString(3)).build());
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException("calls database: " + e.getMessage(), e);
        }
    }

    public synchronized int logCount(String id) {
        return (int) scalar("SELECT count(*) FROM logs WHERE call_id = ?", id);
    }

    public synchronized long logBytes(String id) {
        return scalar("SELECT coalesce(sum(length(CAST(text AS BLOB))), 0) FROM logs WHERE call_id = ?", id);
    }

    private long scalar(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("calls database: " + e.getMessage(), e);
        }
    }

    private int update(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("calls database: " + e.getMessage(), e);
        }
    }

    private List<Row> query(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            bind(ps, args);
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString("id"), rs.getString("function"), rs.getBytes("spec"), rs.getBytes("args"),
                            CallState.forNumber(rs.getInt("state")), rs.getInt("attempts"), rs.getBytes("result"),
                            rs.getBytes("error"), rs.getLong("created_ms"), rs.getLong("finished_ms"),
                            rs.getString("app"), rs.getLong("started_ms")));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("calls database: " + e.getMessage(), e);
        }
    }

    private static void bind(PreparedStatement ps, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            ps.setObject(i + 1, args[i]);
        }
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing anyway
        }
    }
}

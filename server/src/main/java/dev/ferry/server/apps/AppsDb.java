package dev.ferry.server.apps;

import dev.ferry.proto.v1.AppState;
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
 * Deployed apps in {@code apps.sqlite} (WAL, synchronous=FULL: an app is on disk before Deploy answers), one
 * row per name: its id (kept across redeploys), state, version, the AppSpec's bytes, and for an ephemeral app
 * the pid of the process it ends with.
 */
final class AppsDb implements AutoCloseable {
    /** One app as stored. */
    record Row(String name, String id, AppState state, int version, long deployedMs, String source, byte[] spec,
               long ownerPid, long stoppedMs) {
        boolean live() {
            return state == AppState.APP_STATE_DEPLOYED || state == AppState.APP_STATE_EPHEMERAL;
        }
    }

    private final Connection db;

    private AppsDb(Connection db) {
        this.db = db;
    }

    static AppsDb open(Path file) throws IOException {
        FerryDirs.createPrivateFile(file);
        try {
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA synchronous=FULL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("CREATE TABLE IF NOT EXISTS apps (name TEXT PRIMARY KEY, id TEXT NOT NULL, state INTEGER NOT NULL,"
                        + " version INTEGER NOT NULL, deployed_ms INTEGER NOT NULL, source TEXT NOT NULL, spec BLOB NOT NULL,"
                        + " owner_pid INTEGER NOT NULL DEFAULT 0, stopped_ms INTEGER NOT NULL DEFAULT 0)");
            }
            return new AppsDb(c);
        } catch (SQLException e) {
            throw new IOException("cannot open the apps database " + file + ": " + e.getMessage(), e);
        }
    }

    synchronized Row get(String name) {
        List<Row> rows = query("SELECT * FROM apps WHERE name = ?", name);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** By name. */
    synchronized List<Row> all() {
        return query("SELECT * FROM apps ORDER BY name");
    }

    /** Writes the app (a new row, or the replacement of the one of that name). */
    synchronized void put(Row r) {
        update("INSERT INTO apps (name, id, state, version, deployed_ms, source, spec, owner_pid, stopped_ms)"
                        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0) ON CONFLICT(name) DO UPDATE SET id = excluded.id,"
                        + " state = excluded.state, version = excluded.version, deployed_ms = excluded.deployed_ms,"
                        + " source = excluded.source, spec = excluded.spec, owner_pid = excluded.owner_pid, stopped_ms = 0",
                r.name(), r.id(), r.state().getNumber(), r.version(), r.deployedMs(), r.source(), r.spec(), r.ownerPid());
    }

    /** Marks it stopped; false when it was not live. */
    synchronized boolean stop(String name, long nowMs) {
        return update("UPDATE apps SET state = ?, stopped_ms = ? WHERE name = ? AND state IN (?, ?)",
                AppState.APP_STATE_STOPPED_VALUE, nowMs, name, AppState.APP_STATE_DEPLOYED_VALUE,
                AppState.APP_STATE_EPHEMERAL_VALUE) == 1;
    }

    private int update(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("apps database: " + e.getMessage(), e);
        }
    }

    private List<Row> query(String sql, Object... args) {
        try (PreparedStatement ps = db.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Row> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getString("name"), rs.getString("id"), AppState.forNumber(rs.getInt("state")),
                            rs.getInt("version"), rs.getLong("deployed_ms"), rs.getString("source"), rs.getBytes("spec"),
                            rs.getLong("owner_pid"), rs.getLong("stopped_ms")));
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("apps database: " + e.getMessage(), e);
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

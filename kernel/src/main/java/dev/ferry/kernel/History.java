package dev.ferry.kernel;

import com.google.gson.JsonArray;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Input history in SQLite ({@code history.sqlite} in the data directory), kept across kernel restarts:
 * every kernel start is a new session; each executed cell is a line. Opening the database and writes run
 * on a thread of their own, off the kernel's hot path.
 */
final class History implements AutoCloseable {
    private final ExecutorService io = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "ferry-history");
        t.setDaemon(true);
        return t;
    });
    private final CompletableFuture<Connection> db;
    private volatile long session;

    History(Path dataDir) {
        db = CompletableFuture.supplyAsync(() -> open(dataDir), io);
    }

    private Connection open(Path dir) {
        try {
            dev.ferry.storage.FerryDirs.createPrivateDir(dir);
            dev.ferry.storage.FerryDirs.createPrivateFile(dir.resolve("history.sqlite"));
            Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("history.sqlite"));
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode=WAL");
                s.execute("PRAGMA busy_timeout=5000");
                s.execute("PRAGMA synchronous=NORMAL"); // WAL + NORMAL: no fsync per cell; a power cut may lose the last lines
                s.execute("CREATE TABLE IF NOT EXISTS sessions (session INTEGER PRIMARY KEY AUTOINCREMENT, started TEXT)");
                s.execute("CREATE TABLE IF NOT EXISTS history (session INTEGER, line INTEGER, source TEXT,"
                        + " PRIMARY KEY (session, line))");
                s.execute("INSERT INTO sessions (started) VALUES (datetime('now'))");
                try (ResultSet rs = s.executeQuery("SELECT last_insert_rowid()")) {
                    rs.next();
                    session = rs.getLong(1);
                }
            }
            return c;
        } catch (Exception e) {
            System.err.println("[ferry] history is off: cannot open " + dir.resolve("history.sqlite") + ": " + e.getMessage()
                    + " (set FERRY_DATA_DIR to a writable directory)");
            return null;
        }
    }

    void record(int line, String source) {
        io.execute(() -> {
            Connection c = db.join();
            if (c == null) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO history VALUES (?, ?, ?)")) {
                ps.setLong(1, session);
                ps.setInt(2, line);
                ps.setString(3, source);
                ps.executeUpdate();
            } catch (SQLException e) {
                System.err.println("[ferry] history write failed: " + e.getMessage());
            }
        });
    }

    /** The {@code history} list of a history_reply: [session, line, source] triples, oldest first. */
    JsonArray query(String access, int n, long sessionArg, int start, int stop, String pattern, boolean unique) {
        return CompletableFuture.supplyAsync(() -> {
            Connection c = db.join();
            JsonArray out = new JsonArray();
            if (c == null) {
                return out;
            }
            try {
                List<Object[]> rows = switch (access) {
                    case "tail" -> reversed(rows(c, "SELECT session, line, source FROM history ORDER BY session DESC, line DESC LIMIT ?", n));
                    case "range" -> {
                        long s = sessionArg > 0 ? sessionArg : session + sessionArg;
                        yield rows(c, "SELECT session, line, source FROM history WHERE session = ? AND line >= ? AND line < ?"
                                + " ORDER BY line", s, start, stop <= 0 ? Integer.MAX_VALUE : stop);
                    }
                    case "search" -> reversed(rows(c, "SELECT session, line, source FROM history WHERE source GLOB ?"
                            + " ORDER BY session DESC, line DESC LIMIT ?", pattern == null ? "*" : pattern, n <= 0 ? Integer.MAX_VALUE : n));
                    default -> List.of();
                };
                LinkedHashSet<String> seen = new LinkedHashSet<>();
                for (Object[] r : rows) {
                    if (unique && !seen.add((String) r[2])) {
                        continue;
                    }
                    JsonArray e = new JsonArray();
                    e.add((Long) r[0]);
                    e.add((Integer) r[1]);
                    e.add((String) r[2]);
                    out.add(e);
                }
            } catch (SQLException e) {
                System.err.println("[ferry] history query failed: " + e.getMessage());
            }
            return out;
        }, io).join();
    }

    private static List<Object[]> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getInt(2), rs.getString(3)});
                }
            }
            return rows;
        }
    }

    private static List<Object[]> reversed(List<Object[]> l) {
        Collections.reverse(l);
        return l;
    }

    @Override
    public void close() {
        io.execute(() -> {
            Connection c = db.getNow(null);
            try {
                if (c != null) {
                    c.close();
                }
            } catch (SQLException e) {
                // closing anyway
            }
        });
        io.shutdown();
    }
}

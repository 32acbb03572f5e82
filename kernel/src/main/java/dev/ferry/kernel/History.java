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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
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
                        + " output TEXT, PRIMARY KEY (session, line))");
                addOutputColumn(c);
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

    /** Databases written before outputs were kept get the column (empty for their lines). */
    private static void addOutputColumn(Connection c) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA table_info(history)")) {
            while (rs.next()) {
                if (rs.getString("name").equals("output")) {
                    return;
                }
            }
        }
        try (Statement s = c.createStatement()) {
            s.execute("ALTER TABLE history ADD COLUMN output TEXT");
        }
    }

    void record(int line, String source) {
        io.execute(() -> {
            Connection c = db.join();
            if (c == null) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT OR REPLACE INTO history VALUES (?, ?, ?, NULL)")) {
                ps.setLong(1, session);
                ps.setInt(2, line);
                ps.setString(3, source);
                ps.executeUpdate();
            } catch (SQLException e) {
                System.err.println("[ferry] history write failed: " + e.getMessage());
            }
        });
    }

    /** The text/plain of line {@code line}'s execute_result (Out[line]), kept for {@code output=True} queries. */
    void recordOutput(int line, String output) {
        io.execute(() -> {
            Connection c = db.join();
            if (c == null) {
                return;
            }
            try (PreparedStatement ps = c.prepareStatement("UPDATE history SET output = ? WHERE session = ? AND line = ?")) {
                ps.setString(1, output);
                ps.setLong(2, session);
                ps.setInt(3, line);
                ps.executeUpdate();
            } catch (SQLException e) {
                System.err.println("[ferry] history write failed: " + e.getMessage());
            }
        });
    }

    /** A history_request's fields (see {@link #query(Request)}). */
    record Request(String access, Integer n, long session, Integer start, Integer stop, String pattern, boolean unique,
                   boolean output) {}

    /**
     * The {@code history} list of a history_reply, oldest first: [session, line, source] triples, or with
     * {@code output} [session, line, [source, output]] where output is the text/plain of the line's
     * execute_result or null. As ipykernel: {@code tail} the last {@code n} lines of all sessions (10 when
     * n is absent); {@code range} lines {@code start} (inclusive) to {@code stop} (exclusive; absent or 0:
     * to the end) of {@code session} (0 or absent: this one, negative: counted back from it; start and
     * stop below 0 count back from the end of that session); {@code search} the lines whose source
     * matches the glob {@code pattern}, the last {@code n} (absent, or 0 as %history -g sends: all), with {@code unique} only the
     * latest line of each distinct source.
     */
    JsonArray query(Request q) {
        return CompletableFuture.supplyAsync(() -> {
            Connection c = db.join();
            JsonArray out = new JsonArray();
            if (c == null) {
                return out;
            }
            try {
                for (Object[] r : select(c, q)) {
                    JsonArray e = new JsonArray();
                    e.add((Long) r[0]);
                    e.add((Integer) r[1]);
                    if (q.output()) {
                        JsonArray io = new JsonArray();
                        io.add((String) r[2]);
                        io.add((String) r[3]); // null when the line had no execute_result
                        e.add(io);
                    } else {
                        e.add((String) r[2]);
                    }
                    out.add(e);
                }
            } catch (SQLException e) {
                System.err.println("[ferry] history query failed: " + e.getMessage());
            }
            return out;
        }, io).join();
    }

    private List<Object[]> select(Connection c, Request q) throws SQLException {
        String cols = "SELECT session, line, source, output FROM history ";
        switch (q.access()) {
            case "tail" -> {
                int n = q.n() == null ? 10 : Math.max(0, q.n());
                return reversed(rows(c, cols + "ORDER BY session DESC, line DESC LIMIT ?", n));
            }
            case "range" -> {
                long s = q.session() > 0 ? q.session() : session + q.session();
                int start = q.start() == null ? 1 : q.start();
                int stop = q.stop() == null ? 0 : q.stop();
                if (start < 0 || stop < 0) { // counted back from the end of the session, as IPython does
                    int end = rows(c, cols + "WHERE session = ? ORDER BY line DESC LIMIT 1", s).stream()
                            .mapToInt(r -> (Integer) r[1] + 1).findFirst().orElse(1);
                    start = start < 0 ? start + end : start;
                    stop = stop < 0 ? stop + end : stop;
                }
                return rows(c, cols + "WHERE session = ? AND line >= ? AND line < ? ORDER BY line",
                        s, start, stop == 0 ? Integer.MAX_VALUE : stop);
            }
            case "search" -> {
                List<Object[]> newestFirst = rows(c, cols + "WHERE source GLOB ? ORDER BY session DESC, line DESC",
                        q.pattern() == null ? "*" : q.pattern());
                List<Object[]> picked = new ArrayList<>();
                Set<String> seen = new HashSet<>();
                for (Object[] r : newestFirst) { // the latest line of each source is the one kept
                    if (q.n() != null && q.n() > 0 && picked.size() >= q.n()) {
                        break;
                    }
                    if (!q.unique() || seen.add((String) r[2])) {
                        picked.add(r);
                    }
                }
                return reversed(picked);
            }
            default -> {
                return List.of();
            }
        }
    }

    private static List<Object[]> rows(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<Object[]> rows = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Object[] {rs.getLong(1), rs.getInt(2), rs.getString(3), rs.getString(4)});
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

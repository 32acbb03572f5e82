package dev.ferry.storage;

import dev.ferry.Dict;
import dev.ferry.Queue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark, not a test: Queue putMany/getMany throughput against raw SQLite inserts and deletes of the
 * same encoded bytes (same file settings: WAL, synchronous=FULL), plus Dict get latency in-process.
 * Run: java -cp storage/target/test-classes:storage/target/classes:SQLITE_JAR dev.ferry.storage.QueueBench [DIR]
 */
public final class QueueBench {
    static final int ITEMS = 100_000, BATCH = 1_000, PER_ROUND = 5_000, PAYLOAD = 100;

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Files.createDirectories(Path.of(args[0])) : Files.createTempDirectory("ferry-bench");
        byte[] payload = new byte[PAYLOAD];
        Arrays.fill(payload, (byte) 'x');
        List<byte[]> values = new ArrayList<>();
        for (int i = 0; i < BATCH; i++) {
            values.add(payload);
        }
        byte[] encoded = Codec.encode(payload);
        for (int run = 0; run < 2; run++) { // the first run warms up the JIT
            double[] raw = raw(dir.resolve("raw-" + run + ".sqlite"), encoded);
            double[] queue = queue(dir.resolve("store-" + run), values);
            if (run == 1) {
                System.out.printf("items: %,d of %d B payload (%d B encoded), batches of %,d%n", ITEMS, PAYLOAD,
                        encoded.length, BATCH);
                System.out.printf("%-22s %14s %14s %8s%n", "", "ferry items/s", "raw items/s", "ratio");
                System.out.printf("%-22s %,14.0f %,14.0f %8.2f%n", "putMany / INSERT", queue[0], raw[0], queue[0] / raw[0]);
                System.out.printf("%-22s %,14.0f %,14.0f %8.2f%n", "getMany / SELECT+DELETE", queue[1], raw[1], queue[1] / raw[1]);
            }
        }
        dictGet(dir.resolve("dict"));
    }

    static double[] queue(Path dir, List<byte[]> values) throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            Queue<byte[]> q = StoreQueue.fromName(store, "bench", true);
            long putNs = 0, getNs = 0;
            int got = 0;
            for (int round = 0; round < ITEMS / PER_ROUND; round++) {
                long t0 = System.nanoTime();
                for (int b = 0; b < PER_ROUND / BATCH; b++) {
                    q.putMany(values);
                }
                long t1 = System.nanoTime();
                for (int b = 0; b < PER_ROUND / BATCH; b++) {
                    got += q.getMany(BATCH, Duration.ZERO).size();
                }
                long t2 = System.nanoTime();
                putNs += t1 - t0;
                getNs += t2 - t1;
            }
            if (got != ITEMS) {
                throw new AssertionError("got " + got);
            }
            return new double[] {ITEMS / (putNs / 1e9), ITEMS / (getNs / 1e9)};
        }
    }

    static double[] raw(Path file, byte[] encoded) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
            s.execute("PRAGMA journal_mode=WAL");
            s.execute("PRAGMA synchronous=FULL");
            s.execute("CREATE TABLE t (seq INTEGER PRIMARY KEY AUTOINCREMENT, v BLOB NOT NULL)");
            PreparedStatement ins = c.prepareStatement("INSERT INTO t (v) VALUES (?)");
            PreparedStatement sel = c.prepareStatement("SELECT seq, v FROM t ORDER BY seq LIMIT ?");
            PreparedStatement del = c.prepareStatement("DELETE FROM t WHERE seq <= ?");
            long putNs = 0, getNs = 0;
            int got = 0;
            for (int round = 0; round < ITEMS / PER_ROUND; round++) {
                long t0 = System.nanoTime();
                for (int b = 0; b < PER_ROUND / BATCH; b++) {
                    s.execute("BEGIN IMMEDIATE");
                    for (int i = 0; i < BATCH; i++) {
                        ins.setBytes(1, encoded);
                        ins.executeUpdate();
                    }
                    s.execute("COMMIT");
                }
                long t1 = System.nanoTime();
                for (int b = 0; b < PER_ROUND / BATCH; b++) {
                    s.execute("BEGIN IMMEDIATE");
                    sel.setInt(1, BATCH);
                    long last = 0;
                    try (ResultSet rs = sel.executeQuery()) {
                        while (rs.next()) {
                            last = rs.getLong(1);
                            rs.getBytes(2);
                            got++;
                        }
                    }
                    del.setLong(1, last);
                    del.executeUpdate();
                    s.execute("COMMIT");
                }
                long t2 = System.nanoTime();
                putNs += t1 - t0;
                getNs += t2 - t1;
            }
            if (got != ITEMS) {
                throw new AssertionError("raw got " + got);
            }
            return new double[] {ITEMS / (putNs / 1e9), ITEMS / (getNs / 1e9)};
        }
    }

    static void dictGet(Path dir) {
        try (SqliteStore store = SqliteStore.open(dir)) {
            Dict<String, String> d = StoreDict.fromName(store, "bench", true);
            for (int i = 0; i < 1000; i++) {
                d.put("k" + i, "v".repeat(100));
            }
            long[] ns = new long[20_000];
            for (int i = 0; i < ns.length; i++) {
                long t0 = System.nanoTime();
                d.get("k" + (i % 1000));
                ns[i] = System.nanoTime() - t0;
            }
            Arrays.sort(ns, 5_000, ns.length); // the first 5,000 are warm-up
            long[] timed = Arrays.copyOfRange(ns, 5_000, ns.length);
            System.out.printf("Dict.get in-process (no worker hop): p50 %.1f us, p99 %.1f us%n",
                    timed[timed.length / 2] / 1e3, timed[timed.length * 99 / 100] / 1e3);
        }
    }
}

package dev.ferry.arrow;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * Benchmark (not a test): Arrow IPC through an OS pipe vs raw bytes through the same kind of pipe, and DuckDB's
 * native Arrow export vs row-by-row JDBC. Run (from the repository root):
 * <pre>
 * mvn -q -pl arrow-io test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt -Dmdep.includeScope=test
 * java -Xmx4g --add-opens=java.base/java.nio=ALL-UNNAMED \
 *   -cp arrow-io/target/classes:arrow-io/target/test-classes:$(cat arrow-io/target/cp.txt) dev.ferry.arrow.ArrowBench
 * </pre>
 */
public final class ArrowBench {
    static final int ROWS = 10_000_000;
    static final int RUNS = 5;

    public static void main(String[] args) throws Exception {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : ROWS;
        try (BufferAllocator alloc = new RootAllocator()) {
            ipc(alloc, rows);
            duck(alloc);
        }
    }

    static Table bigTable(BufferAllocator alloc, int rows) {
        Schema schema = new Schema(List.of(
                new Field("id", FieldType.notNullable(Builders.INT64), null),
                new Field("x", FieldType.nullable(Builders.FLOAT64), null),
                new Field("label", FieldType.nullable(Builders.UTF8), null)));
        BufferAllocator child = Table.childOf(alloc);
        List<VectorSchemaRoot> batches = new ArrayList<>();
        for (int start = 0; start < rows; start += Table.BATCH_ROWS) {
            int n = Math.min(Table.BATCH_ROWS, rows - start);
            VectorSchemaRoot root = VectorSchemaRoot.create(schema, child);
            BigIntVector id = (BigIntVector) root.getVector(0);
            Float8Vector x = (Float8Vector) root.getVector(1);
            VarCharVector label = (VarCharVector) root.getVector(2);
            id.allocateNew(n);
            x.allocateNew(n);
            label.allocateNew(n * 12L, n);
            for (int i = 0; i < n; i++) {
                long v = start + i;
                id.set(i, v);
                x.set(i, v * 0.5);
                label.setSafe(i, ("row" + v).getBytes(StandardCharsets.UTF_8));
            }
            root.setRowCount(n);
            batches.add(root);
        }
        return new Table(child, schema, batches);
    }

    interface Sender {
        void send(OutputStream out) throws IOException;
    }

    interface Receiver {
        long receive(InputStream in) throws IOException;
    }

    /** Sends through a fresh OS pipe (java.nio.channels.Pipe), sender and receiver on two threads; returns ns. */
    static long throughPipe(Sender sender, Receiver receiver, long[] received) throws Exception {
        Pipe pipe = Pipe.open();
        long t0 = System.nanoTime();
        CompletableFuture<Void> w = CompletableFuture.runAsync(() -> {
            try (OutputStream out = Channels.newOutputStream(pipe.sink())) {
                sender.send(out);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (InputStream in = Channels.newInputStream(pipe.source())) {
            received[0] = receiver.receive(in);
        }
        w.join();
        return System.nanoTime() - t0;
    }

    interface ChannelSender {
        void send(Pipe.SinkChannel out) throws IOException;
    }

    interface ChannelReceiver {
        long receive(Pipe.SourceChannel in) throws IOException;
    }

    /** Like throughPipe, handing the pipe's channels (not streams) to both ends. */
    static long throughPipeChannels(ChannelSender sender, ChannelReceiver receiver, long[] received) throws Exception {
        Pipe pipe = Pipe.open();
        long t0 = System.nanoTime();
        CompletableFuture<Void> w = CompletableFuture.runAsync(() -> {
            try (Pipe.SinkChannel out = pipe.sink()) {
                sender.send(out);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        });
        try (Pipe.SourceChannel in = pipe.source()) {
            received[0] = receiver.receive(in);
        }
        w.join();
        return System.nanoTime() - t0;
    }

    static void ipc(BufferAllocator alloc, int rows) throws Exception {
        try (Table t = bigTable(alloc, rows)) {
            long bytes = ArrowIpc.write(t, OutputStream.nullOutputStream());
            byte[] chunk = new byte[256 * 1024];
            long bestIpc = Long.MAX_VALUE;
            long bestRaw = Long.MAX_VALUE;
            long bestIpcCh = Long.MAX_VALUE;
            long bestRawKept = Long.MAX_VALUE;
            for (int run = 0; run < RUNS; run++) {
                long[] got = new long[1];
                long ipc = throughPipe(out -> ArrowIpc.write(t, out), in -> {
                    try (Table back = ArrowIpc.read(in, alloc)) {
                        return back.rowCount();
                    }
                }, got);
                if (got[0] != rows) {
                    throw new IllegalStateException("IPC lost rows: " + got[0]);
                }
                long raw = throughPipe(out -> {
                    for (long left = bytes; left > 0; left -= chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, left));
                    }
                }, in -> {
                    byte[] buf = new byte[256 * 1024];
                    long total = 0;
                    for (int n; (n = in.read(buf)) > 0; ) {
                        total += n;
                    }
                    return total;
                }, got);
                if (got[0] != bytes) {
                    throw new IllegalStateException("raw lost bytes");
                }
                long ipcCh = throughPipeChannels(out -> ArrowIpc.write(t, out), in -> {
                    try (Table back = ArrowIpc.read(in, alloc)) {
                        return back.rowCount();
                    }
                }, got);
                if (got[0] != rows) {
                    throw new IllegalStateException("IPC lost rows: " + got[0]);
                }
                long rawKept = throughPipe(out -> {
                    for (long left = bytes; left > 0; left -= chunk.length) {
                        out.write(chunk, 0, (int) Math.min(chunk.length, left));
                    }
                }, in -> {
                    List<byte[]> kept = new ArrayList<>();
                    long total = 0;
                    while (true) {
                        byte[] buf = new byte[2 << 20];
                        int n = in.readNBytes(buf, 0, buf.length);
                        total += n;
                        kept.add(buf);
                        if (n < buf.length) {
                            break;
                        }
                    }
                    return total;
                }, got);
                if (got[0] != bytes) {
                    throw new IllegalStateException("raw lost bytes");
                }
                bestIpc = Math.min(bestIpc, ipc);
                bestRaw = Math.min(bestRaw, raw);
                bestIpcCh = Math.min(bestIpcCh, ipcCh);
                bestRawKept = Math.min(bestRawKept, rawKept);
            }
            System.out.printf(Locale.ROOT, "IPC %,d rows x 3 cols (int64, float64, string), %,d bytes, best of %d%n",
                    rows, bytes, RUNS);
            System.out.printf(Locale.ROOT, "  Arrow IPC, pipe streams:                 %8.1f ms  %7.1f MiB/s  %6.1f Mrows/s%n",
                    bestIpc / 1e6, bytes / (bestIpc / 1e9) / (1 << 20), rows / (bestIpc / 1e9) / 1e6);
            System.out.printf(Locale.ROOT, "  raw byte[], pipe streams, reused buffer: %8.1f ms  %7.1f MiB/s%n",
                    bestRaw / 1e6, bytes / (bestRaw / 1e9) / (1 << 20));
            System.out.printf(Locale.ROOT, "  Arrow IPC, pipe channels (no heap copy): %8.1f ms  %7.1f MiB/s  %6.1f Mrows/s%n",
                    bestIpcCh / 1e6, bytes / (bestIpcCh / 1e9) / (1 << 20), rows / (bestIpcCh / 1e9) / 1e6);
            System.out.printf(Locale.ROOT, "  raw byte[], receiver keeps the bytes:     %8.1f ms  %7.1f MiB/s%n",
                    bestRawKept / 1e6, bytes / (bestRawKept / 1e9) / (1 << 20));
            System.out.printf(Locale.ROOT, "  ratio IPC/raw throughput (streams, raw reused buffer): %.2f%n",
                    (double) bestRaw / bestIpc);
            System.out.printf(Locale.ROOT, "  ratio IPC/raw throughput (channels, raw reused buffer): %.2f%n",
                    (double) bestRaw / bestIpcCh);
            System.out.printf(Locale.ROOT, "  ratio IPC/raw throughput (streams, raw bytes kept):    %.2f%n",
                    (double) bestRawKept / bestIpc);
        }
    }

    static void duck(BufferAllocator alloc) throws Exception {
        String sql = "SELECT i AS id, i * 0.5 AS x, 'row' || i AS label FROM range(1000000) r(i)";
        try (Connection conn = DriverManager.getConnection("jdbc:duckdb:")) {
            long bestNative = Long.MAX_VALUE;
            long bestJdbcArrow = Long.MAX_VALUE;
            long bestJdbcPlain = Long.MAX_VALUE;
            for (int run = 0; run < RUNS + 1; run++) {
                long t0 = System.nanoTime();
                try (Table t = DuckArrow.query(conn, sql, alloc)) {
                    check(t.rowCount());
                }
                long t1 = System.nanoTime();
                try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql);
                     Table t = JdbcArrow.fromResultSet(rs, Long.MAX_VALUE, alloc)) {
                    check(t.rowCount());
                }
                long t2 = System.nanoTime();
                long n = 0;
                double sink = 0;
                try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery(sql)) {
                    while (rs.next()) {
                        sink += rs.getLong(1) + rs.getDouble(2) + rs.getString(3).length();
                        n++;
                    }
                }
                long t3 = System.nanoTime();
                check(n);
                if (sink == 42) {
                    System.out.print("");
                }
                if (run > 0) { // first run is warm-up
                    bestNative = Math.min(bestNative, t1 - t0);
                    bestJdbcArrow = Math.min(bestJdbcArrow, t2 - t1);
                    bestJdbcPlain = Math.min(bestJdbcPlain, t3 - t2);
                }
            }
            System.out.printf(Locale.ROOT, "DuckDB 1,000,000 rows x 3 cols, best of %d after a warm-up%n", RUNS);
            System.out.printf(Locale.ROOT, "  native Arrow export (DuckArrow.query):      %8.1f ms%n", bestNative / 1e6);
            System.out.printf(Locale.ROOT, "  row-by-row JDBC into Arrow (JdbcArrow):     %8.1f ms  (%.1fx the native time)%n",
                    bestJdbcArrow / 1e6, (double) bestJdbcArrow / bestNative);
            System.out.printf(Locale.ROOT, "  row-by-row JDBC, values only (no table):    %8.1f ms  (%.1fx the native time)%n",
                    bestJdbcPlain / 1e6, (double) bestJdbcPlain / bestNative);
        }
    }

    static void check(long n) {
        if (n != 1_000_000) {
            throw new IllegalStateException("expected 1,000,000 rows, got " + n);
        }
    }
}

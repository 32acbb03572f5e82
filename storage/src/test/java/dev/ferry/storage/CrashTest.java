package dev.ferry.storage;

import dev.ferry.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Separate JVMs: a put acknowledged before kill -9 is durable; a put in another process wakes a get. */
class CrashTest {
    @TempDir
    Path dir;

    private Process start(String... args) throws Exception {
        String java = ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                "-Djava.io.tmpdir=" + System.getProperty("java.io.tmpdir"), CrashPutter.class.getName(),
                dir.toString()));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    @Test
    void everyAcknowledgedPutSurvivesKill9() throws Exception {
        Process p = start("many", "10000");
        List<Integer> acked = new ArrayList<>();
        int killAfter = 200 + new java.util.Random().nextInt(1_800); // somewhere in the first 2,000 puts
        try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            String line;
            while ((line = out.readLine()) != null) {
                acked.add(Integer.parseInt(line.trim()));
                if (acked.size() >= killAfter || System.nanoTime() > deadline) {
                    p.toHandle().destroyForcibly(); // SIGKILL: no shutdown hooks, no close (Process.destroyForcibly would close our pipe)
                    break;
                }
            }
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            while ((line = out.readLine()) != null) { // lines written before the kill are acknowledged too
                acked.add(Integer.parseInt(line.trim()));
            }
        }
        assertTrue(p.exitValue() != 0, "the putter was killed, not finished");
        assertTrue(acked.size() >= killAfter && acked.size() < 10_000, "acked " + acked.size());

        try (SqliteStore store = SqliteStore.open(dir)) {
            Queue<Integer> q = StoreQueue.fromName(store, "crash", false);
            List<Integer> stored = new ArrayList<>();
            q.iterate().forEach(stored::add);
            // FIFO and nothing invented: the queue is 0..k-1, with k at least the acknowledged count
            // (the put in flight at the kill may or may not have committed)
            for (int i = 0; i < stored.size(); i++) {
                assertEquals(i, stored.get(i));
            }
            for (int i = 0; i < acked.size(); i++) {
                assertEquals(i, acked.get(i));
            }
            System.out.println("crash test: acknowledged " + acked.size() + ", stored " + stored.size());
            assertTrue(stored.size() >= acked.size() && stored.size() <= acked.size() + 1,
                    "acknowledged " + acked.size() + ", stored " + stored.size());
        }
    }

    @Test
    void aPutInAnotherProcessWakesABlockedGet() throws Exception {
        try (SqliteStore store = SqliteStore.open(dir)) {
            Queue<Integer> q = StoreQueue.fromName(store, "crash", true);
            Process p = start("one", "500");
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                assertEquals("ready", out.readLine());
                Integer got = q.get(Duration.ofSeconds(20));
                long woke = System.currentTimeMillis();
                assertEquals(7, got);
                long putAt = Long.parseLong(out.readLine().trim());
                assertTrue(woke - putAt < 100, "woke " + (woke - putAt) + " ms after the other process's put");
                assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            } finally {
                p.destroyForcibly();
            }
        }
    }
}

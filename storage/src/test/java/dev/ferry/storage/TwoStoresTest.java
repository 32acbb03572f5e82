package dev.ferry.storage;

import dev.ferry.Dict;
import dev.ferry.Queue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two SqliteStore instances on one file stand in for two kernels on one machine. */
class TwoStoresTest {
    @TempDir
    Path dir;

    @Test
    void shareDictsAndQueues() throws Exception {
        try (SqliteStore a = SqliteStore.open(dir); SqliteStore b = SqliteStore.open(dir)) {
            Dict<String, Object> da = StoreDict.fromName(a, "shared", true);
            Dict<String, Object> db = StoreDict.fromName(b, "shared", false);
            da.put("k", List.of(1, 2));
            assertEquals(List.of(1, 2), db.get("k"));
            db.put("k2", "from b");
            assertEquals(2L, da.size());

            Queue<Integer> qa = StoreQueue.fromName(a, "work", true);
            Queue<Integer> qb = StoreQueue.fromName(b, "work", false);
            qa.putMany(List.of(1, 2, 3));
            assertEquals(List.of(1, 2, 3), qb.getMany(10, Duration.ZERO));

            // a get blocked in one "kernel" wakes for a put in the other (data_version polling)
            for (int round = 0; round < 3; round++) {
                CompletableFuture<Long> woke = CompletableFuture.supplyAsync(() -> {
                    Integer v = qb.get(Duration.ofSeconds(10));
                    assertEquals(42, v);
                    return System.nanoTime();
                });
                Thread.sleep(300);
                qa.put(42);
                // woke with the item, long before the get's own 10 s timeout (how soon is bench material, not a test's)
                assertTrue(woke.get(5, TimeUnit.SECONDS) > 0);
            }
        }
    }

    @Test
    void everyItemIsTakenExactlyOnceByTwoConsumers() throws Exception {
        int n = 4_000;
        try (SqliteStore producer = SqliteStore.open(dir); SqliteStore c1 = SqliteStore.open(dir);
             SqliteStore c2 = SqliteStore.open(dir)) {
            Queue<Integer> q = StoreQueue.fromName(producer, "exact", true);
            CompletableFuture<List<Integer>> f1 = consume(StoreQueue.fromName(c1, "exact", false), 1);
            CompletableFuture<List<Integer>> f2 = consume(StoreQueue.fromName(c2, "exact", false), 7);
            CompletableFuture<List<Integer>> f3 = consume(StoreQueue.fromName(c1, "exact", false), 3); // same store, other thread
            for (int i = 0; i < n; i += 100) {
                q.putMany(IntStream.range(i, i + 100).boxed().toList());
                if (i % 1000 == 0) {
                    q.put(i, "unrelated");
                }
                Thread.sleep(3); // let the consumers interleave with the producer
            }
            done = true;
            List<Integer> all = new ArrayList<>();
            int consumersWithItems = 0;
            for (CompletableFuture<List<Integer>> f : List.of(f1, f2, f3)) {
                List<Integer> got = f.get(30, TimeUnit.SECONDS);
                consumersWithItems += got.isEmpty() ? 0 : 1;
                all.addAll(got);
            }
            assertTrue(consumersWithItems >= 2, "the consumers competed");
            Set<Integer> distinct = new HashSet<>(all);
            assertEquals(all.size(), distinct.size(), "no item twice");
            assertEquals(n, all.size(), "none lost");
            assertEquals(0L, q.size());
        }
    }

    private volatile boolean done;

    private CompletableFuture<List<Integer>> consume(Queue<Integer> q, int batch) {
        return CompletableFuture.supplyAsync(() -> {
            List<Integer> got = new ArrayList<>();
            while (true) {
                boolean producerDone = done; // read before the get: empty after that means drained
                List<Integer> batchGot = q.getMany(batch, Duration.ofMillis(200));
                if (batchGot.isEmpty() && producerDone) {
                    return got;
                }
                got.addAll(batchGot);
            }
        }, r -> new Thread(r).start());
    }
}

package dev.ferry.storage;

import dev.ferry.Queue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueTest {
    @TempDir
    Path dir;
    SqliteStore store;
    MutableClock clock = new MutableClock();

    @BeforeEach
    void open() {
        store = SqliteStore.open(dir, clock, Limits.DEFAULT);
        Store.setDefault(store);
    }

    @AfterEach
    void close() {
        Store.setDefault(null);
        store.close();
    }

    private static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    @Test
    void fifoPutGetPollAndGetMany() {
        Queue<Integer> q = Queue.fromName("jobs", true);
        q.put(1);
        q.putMany(range(2, 10));
        assertEquals(9L, q.size());
        assertEquals(1, q.get());
        assertEquals(2, q.poll());
        assertEquals(range(3, 6), q.getMany(3, Duration.ZERO));
        assertEquals(range(6, 10), q.getMany(100, Duration.ofSeconds(1)));
        assertNull(q.poll());
        assertEquals(List.of(), q.getMany(5, Duration.ZERO));
        long t0 = System.nanoTime();
        assertNull(q.get(Duration.ofMillis(150)));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waited >= 140 && waited < 2_000, "waited " + waited + " ms");
    }

    @Test
    void nullItemsAndIterateWithoutRemoving() {
        Queue<Object> q = Queue.ephemeral();
        q.put(null);
        q.putMany(Arrays.asList("a", null, List.of(1)));
        List<Object> seen = new ArrayList<>();
        q.iterate().forEach(seen::add);
        assertEquals(Arrays.asList(null, "a", null, List.of(1)), seen);
        assertEquals(4L, q.size());
        List<Object> got = q.getMany(10, Duration.ZERO);
        assertEquals(Arrays.asList(null, "a", null, List.of(1)), got);
    }

    @Test
    void iteratePagesThroughMoreThanOnePage() {
        Queue<Integer> q = Queue.ephemeral();
        q.putMany(range(0, 1000));
        List<Integer> seen = new ArrayList<>();
        q.iterate().forEach(seen::add);
        assertEquals(range(0, 1000), seen);
        assertEquals(1000L, q.size());
    }

    @Test
    void partitionsAreSeparateFifos() {
        Queue<String> q = Queue.fromName("parts", true);
        q.put("d1");
        q.put("a1", "a");
        q.put("b1", "b");
        q.putMany(List.of("a2", "a3"), "a");
        assertEquals(1L, q.size());
        assertEquals(3L, q.size("a"));
        assertEquals(5L, q.totalSize());
        assertEquals("a1", q.get("a", Duration.ZERO));
        assertEquals(List.of("a2", "a3"), q.getMany(5, Duration.ZERO, "a"));
        assertNull(q.poll("a"));
        List<String> seen = new ArrayList<>();
        q.iterate("b").forEach(seen::add);
        assertEquals(List.of("b1"), seen);
        q.clear("b");
        assertEquals(0L, q.size("b"));
        assertEquals(1L, q.size());
        q.put("b2", "b");
        q.clearAll();
        assertEquals(0L, q.totalSize());
        assertThrows(IllegalArgumentException.class, () -> q.put("x", ""));
        assertThrows(IllegalArgumentException.class, () -> q.put("x", "p".repeat(65)));
    }

    @Test
    void partitionTtlHidesAndPurgesExpiredItems() {
        Queue<String> q = Queue.fromName("ttl", true);
        q.put("old", "p", Duration.ofSeconds(10));
        q.put("keep", "forever");
        clock.advance(Duration.ofSeconds(6));
        q.put("newer", "p"); // refreshes the partition's TTL (kept at 10 s)
        clock.advance(Duration.ofSeconds(6));
        assertEquals(2L, q.size("p"));
        clock.advance(Duration.ofSeconds(5));
        assertEquals(0L, q.size("p"));
        assertEquals(1L, q.totalSize());
        List<String> seen = new ArrayList<>();
        q.iterate("p").forEach(seen::add);
        assertEquals(List.of(), seen);
        assertNull(q.poll("p")); // purges
        q.put("fresh", "p");
        assertEquals(List.of("fresh"), q.getMany(10, Duration.ZERO, "p"));
        assertEquals("keep", q.poll("forever"));
        assertThrows(IllegalArgumentException.class, () -> q.put("x", "p", Duration.ZERO));
    }

    @Test
    void itemOverOneMebibyteIsRejectedAndNothingIsWritten() {
        Queue<Object> q = Queue.fromName("big", true);
        byte[] fits = new byte[Queue.MAX_ITEM_BYTES - 5]; // version + tag + 3-byte varint length
        q.put(fits);
        assertEquals(Queue.MAX_ITEM_BYTES, Codec.encode(fits).length);
        byte[] tooBig = new byte[Queue.MAX_ITEM_BYTES - 4];
        assertEquals(Queue.MAX_ITEM_BYTES + 1, Codec.encode(tooBig).length);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> q.put(tooBig));
        assertTrue(e.getMessage().contains("1,048,577") && e.getMessage().contains("1,048,576"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> q.putMany(List.of("small", tooBig)));
        assertTrue(e.getMessage().contains("item 1 of 2") && e.getMessage().contains("nothing was put"),
                e.getMessage());
        assertEquals(1L, q.size());
    }

    @Test
    void partitionHoldsAtMostFiveThousandItems() {
        Queue<Integer> q = Queue.fromName("full", true);
        q.putMany(range(0, 4_999));
        q.put(4_999);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.put(5_000));
        assertTrue(e.getMessage().contains("5,000 items per partition"), e.getMessage());
        assertEquals(5_000L, q.size());
        q.poll();
        e = assertThrows(IllegalStateException.class, () -> q.putMany(List.of(1, 2)));
        assertTrue(e.getMessage().contains("nothing was put"), e.getMessage());
        assertEquals(4_999L, q.size());
        q.put(-1, "other"); // other partitions are not affected
        assertEquals(1L, q.size("other"));
    }

    @Test
    void putManyIsAllOrNothing() {
        Queue<Object> q = Queue.fromName("atomic", true);
        q.putMany(Collections.nCopies(4_000, "x"));
        assertThrows(IllegalStateException.class, () -> q.putMany(Collections.nCopies(1_001, "y")));
        assertEquals(4_000L, q.size());
        assertThrows(IllegalArgumentException.class, () -> q.putMany(List.of("ok", new Object())));
        assertEquals(4_000L, q.size());
        q.putMany(Collections.nCopies(1_000, "y"));
        assertEquals(5_000L, q.size());
    }

    @Test
    void partitionCountIsLimited() {
        try (SqliteStore small = SqliteStore.open(dir.resolve("small"), clock, new Limits(1 << 20, 5_000, 3))) {
            Queue<Integer> q = StoreQueue.fromName(small, "many", true);
            q.put(1, "p1", Duration.ofSeconds(5));
            q.put(2, "p2");
            q.put(3, "p3");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> q.put(4, "p4"));
            assertTrue(e.getMessage().contains("3 partitions"), e.getMessage());
            q.put(5, "p3"); // existing partitions still take items
            clock.advance(Duration.ofSeconds(6)); // p1 expires: room for one more
            q.put(4, "p4");
            assertEquals(1L, q.size("p4"));
            assertEquals(List.of(Queue.MAX_PARTITIONS), List.of(Limits.DEFAULT.maxPartitions()));
        }
    }

    @Test
    void blockedGetIsWokenByAPutFromAnotherThread() throws Exception {
        // the wake-up latency is measured by QueueBench (install/bench.sh store), not asserted here
        Queue<String> q = Queue.fromName("wake", true);
        for (int round = 0; round < 3; round++) {
            CompletableFuture<String> got = CompletableFuture.supplyAsync(() -> q.get(Duration.ofSeconds(60)));
            Thread.sleep(300);
            assertFalse(got.isDone(), "get returned before anything was put");
            q.put("ping");
            // woken by the put: the item arrives long before the get's own 60 s timeout would end it empty
            assertEquals("ping", got.get(30, TimeUnit.SECONDS));
        }
    }

    @Test
    void missingQueueIsAClearError() {
        NoSuchElementException e = assertThrows(NoSuchElementException.class, () -> Queue.fromName("nope", false));
        assertTrue(e.getMessage().contains("Queue.fromName(\"nope\", true)"), e.getMessage());
        Queue<String> q = Queue.fromName("gone", true);
        assertEquals(List.of("gone"), Queue.list());
        Queue.delete("gone");
        assertThrows(NoSuchElementException.class, () -> q.put("x"));
        assertThrows(NoSuchElementException.class, q::poll);
        assertEquals(List.of(), Queue.list());
    }
}

package dev.ferry.remote.engine;

import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** The key and claim logic of spare workers, and real spare worker JVMs. */
class SparesTest {
    @TempDir
    Path tmp;

    private WorkerLaunch launchOn(List<Path> cp) {
        return new WorkerLaunch("/usr/bin/java", List.of("-Xmx1g"), cp, Map.of(), null);
    }

    @Test
    void theKeyChangesWithWhatTheWorkerWouldSeeAndIgnoresPerLaunchVariables() throws IOException {
        Path jar = Files.writeString(tmp.resolve("a.jar"), "x");
        WorkerLaunch l = launchOn(List.of(jar));
        Map<String, String> env = new HashMap<>(Map.of("HOME", "/h", "JPY_PARENT_PID", "100"));
        String k = Spares.key(l, env, tmp);
        assertEquals(k, Spares.key(l, env, tmp));
        env.put("JPY_PARENT_PID", "200"); // another papermill run
        env.put("FERRY_SPARE_IDLE", "5");
        assertEquals(k, Spares.key(l, env, tmp), "per-launch variables are not part of the key");
        env.put("MY_SETTING", "1");
        assertNotEquals(k, Spares.key(l, env, tmp), "the environment the session sees is");
        env.remove("MY_SETTING");
        assertNotEquals(k, Spares.key(l, env, tmp.resolve("sub")), "so is the working directory");
        assertNotEquals(k, Spares.key(l.withOptions(List.of("-Xss4m")), env, tmp), "and the JVM options");
        Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(jar).toMillis() - 10_000));
        assertNotEquals(k, Spares.key(l, env, tmp), "a rebuilt jar on the class path makes another key");
        assertEquals(16, k.length());
        assertFalse(Spares.spareEnv(Map.of("JPY_PARENT_PID", "1", "A", "b")).containsKey("JPY_PARENT_PID"));
    }

    /** A published spare directory whose pid is a live process carrying the nonce in its arguments. */
    private Process fakeSpare(Path spares, String key, String nonce) throws Exception {
        Path d = Files.createDirectories(spares.resolve(key + "." + nonce));
        Process mk = new ProcessBuilder("mkfifo", d.resolve(Spares.IN).toString(), d.resolve(Spares.OUT).toString(),
                d.resolve(Spares.RAW).toString()).inheritIO().start();
        assertEquals(0, mk.waitFor());
        // holds its pipes as a worker does (a claimer's frame needs a reader)
        Process p = new ProcessBuilder("sh", "-c", "exec 3<>in.fifo 4<>out.fifo 5<>raw.fifo; sleep 60; :", nonce)
                .directory(d.toFile()).start();
        Files.writeString(d.resolve(Spares.PID), Long.toString(p.pid()));
        return p;
    }

    @Test
    void ofTwoKernelsClaimingTheSameSpareExactlyOneWins() throws Exception {
        Spares spares = new Spares(tmp.resolve("spares"));
        Process p = fakeSpare(spares.dir(), "0123456789abcdef", "n1");
        try {
            int n = 8;
            ExecutorService pool = Executors.newFixedThreadPool(n);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Optional<Spares.Claimed>>> got = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                long claimer = 1000 + i;
                got.add(pool.submit(() -> {
                    go.await();
                    return spares.claim("0123456789abcdef", claimer, Duration.ZERO);
                }));
            }
            go.countDown();
            int won = 0;
            for (var f : got) {
                Optional<Spares.Claimed> c = f.get(10, TimeUnit.SECONDS);
                if (c.isPresent()) {
                    won++;
                    assertEquals(p.pid(), c.get().process().pid());
                }
            }
            pool.shutdown();
            assertEquals(1, won, "one claimer gets the spare, the others start their own worker");
            try (var s = Files.list(spares.dir())) {
                assertEquals(0, s.count(), "the claimed spare's directory is gone (its pipes live on in the descriptors)");
            }
            assertFalse(spares.has("0123456789abcdef"));
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void atMostTwoSparesWaitInOneDirectoryWhateverTheirKeys() throws Exception {
        Spares spares = new Spares(tmp.resolve("spares"));
        Process a = fakeSpare(spares.dir(), "00000000000000a1", "w1");
        try {
            assertFalse(spares.wanted("00000000000000a1"), "one per key");
            assertTrue(spares.wanted("00000000000000a2"));
            Process b = fakeSpare(spares.dir(), "00000000000000a2", "w2");
            try {
                assertFalse(spares.wanted("00000000000000a3"), "two wait already");
            } finally {
                b.destroyForcibly().waitFor();
            }
            assertTrue(spares.wanted("00000000000000a3"), "a dead spare does not count");
        } finally {
            a.destroyForcibly();
        }
    }

    @Test
    void aSpareWhoseProcessIsGoneIsNotClaimedAndIsCleanedUp() throws Exception {
        Spares spares = new Spares(tmp.resolve("spares"));
        Process p = fakeSpare(spares.dir(), "00000000000000aa", "n2");
        p.destroyForcibly().waitFor();
        assertFalse(spares.has("00000000000000aa"));
        assertTrue(spares.claim("00000000000000aa", 1, Duration.ZERO).isEmpty());
        Process q = fakeSpare(spares.dir(), "00000000000000bb", "n3");
        try {
            assertTrue(spares.has("00000000000000bb"));
            assertFalse(spares.has("00000000000000aa"), "keys are not mixed up");
            assertTrue(spares.claim("00000000000000aa", 1, Duration.ZERO).isEmpty());
        } finally {
            q.destroyForcibly();
        }
    }

    static WorkerLaunch workerLaunch() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return WorkerLaunch.of(java, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"), System.getProperty("java.class.path"));
    }

    private static Optional<Spares.Claimed> claimWithin(Spares spares, String key, long claimer, Duration d) throws InterruptedException {
        long end = System.nanoTime() + d.toNanos();
        while (System.nanoTime() < end) {
            Optional<Spares.Claimed> c = spares.claim(key, claimer, Duration.ofSeconds(5));
            if (c.isPresent()) {
                return c;
            }
            Thread.sleep(50);
        }
        return Optional.empty();
    }

    private static String value(Worker w, String code) throws Exception {
        Worker.Execution ex = w.execute(code, 1, false);
        WorkerEvent e = ex.end(60, TimeUnit.SECONDS);
        assertInstanceOf(WorkerEvent.Result.class, e, "no result for " + code);
        return ((WorkerEvent.Result) e).fields().getAsJsonObject("data").get("text/plain").getAsString();
    }

    @Test
    void aRealSpareServesTheClaimingKernelAndEndsWithIt() throws Exception {
        Spares spares = new Spares(tmp.resolve("spares"));
        WorkerLaunch l = workerLaunch();
        spares.launch(l, "00000000000000cc", System.getenv(), Duration.ofSeconds(120));
        assertTrue(spares.has("00000000000000cc"), "a starting spare counts: no second one is started");
        Spares.Claimed c = claimWithin(spares, "00000000000000cc", ProcessHandle.current().pid(), Duration.ofSeconds(60))
                .orElseThrow(() -> new AssertionError("the spare never published itself"));
        assertFalse(c.process().parent().map(h -> h.pid() == ProcessHandle.current().pid()).orElse(false),
                "a spare is not the starting process's child (it outlives it)");
        Worker w = Worker.attach(new SparePlacement(c), e -> { }, Worker.CallHandler.NONE);
        w.ready().get(60, TimeUnit.SECONDS);
        assertEquals(Long.toString(c.process().pid()), value(w, "ProcessHandle.current().pid()"));
        assertEquals("2", value(w, "1+1"));
        // the kernel's end of the input pipe closes (its exit, kill -9): the spare leaves as any worker does
        c.input().close();
        assertTrue(c.process().onExit().get(30, TimeUnit.SECONDS) != null);
        assertFalse(c.process().isAlive());
    }

    @Test
    void aClaimedSpareLeavesWhenTheClaimingPidIsGoneAndAnUnclaimedOneAfterItsIdleLimit() throws Exception {
        Spares spares = new Spares(tmp.resolve("spares"));
        WorkerLaunch l = workerLaunch();
        spares.launch(l, "00000000000000dd", System.getenv(), Duration.ofSeconds(120));
        Process kernel = new ProcessBuilder("sleep", "3").start(); // stands in for a kernel that holds its pipes open
        Spares.Claimed c = claimWithin(spares, "00000000000000dd", kernel.pid(), Duration.ofSeconds(60)).orElseThrow();
        assertTrue(c.process().isAlive());
        assertNotNull(c.process().onExit().get(40, TimeUnit.SECONDS), "the spare outlived the kernel that claimed it");

        spares.launch(l, "00000000000000ee", System.getenv(), Duration.ofSeconds(2));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        boolean seen = false;
        while (System.nanoTime() < deadline) {
            boolean has = spares.has("00000000000000ee");
            seen |= has;
            if (seen && !has) {
                break;
            }
            Thread.sleep(100);
        }
        assertTrue(seen);
        assertFalse(spares.has("00000000000000ee"), "an unclaimed spare leaves after its idle limit");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // it renames the directory, then empties it
        long left;
        do {
            try (var s = Files.list(spares.dir())) {
                left = s.count();
            }
        } while (left > 0 && System.nanoTime() < end && sleep(50));
        assertEquals(0, left, "and takes its directory with it");
    }

    private static boolean sleep(long ms) throws InterruptedException {
        Thread.sleep(ms);
        return true;
    }
}

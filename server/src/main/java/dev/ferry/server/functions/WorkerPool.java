package dev.ferry.server.functions;

import com.google.protobuf.CodedOutputStream;
import dev.ferry.proto.v1.FunctionOptions;
import dev.ferry.proto.v1.FunctionSpec;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Warm workers, one pool per function (its FunctionSpec: declarations, method and options, hashed). An attempt
 * {@link #acquire}s a slot: an idle worker of the pool, or leave to start one when the pool is under its
 * {@code max_containers} and no worker is starting in the background for it; else the attempt waits in the pool's
 * line and is run again when a slot frees or a worker is ready. After
 * the attempt it {@link #release}s the slot: a worker that is alive, did not time out and ran fewer than
 * {@code max_inputs} inputs goes back to the idle set, others are stopped. Idle workers beyond
 * {@code min_containers} (plus {@code buffer_containers} while the function is busy) stop after
 * {@code scaledown_window}. A pool with {@code min_containers} or {@code buffer_containers} starts workers in the
 * background to keep them.
 */
public final class WorkerPool implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");
    /** Modal's default scaledown window. */
    static final int DEFAULT_SCALEDOWN_S = 60;
    static final int MAX_CONTAINERS = 1000;

    /** The scaling options of one function, validated. */
    record Settings(int min, int max, int buffer, long scaledownMs, int maxInputs) {
        static Settings of(FunctionOptions o) {
            check("min_containers", o.getMinContainers(), 0, 100);
            check("max_containers", o.getMaxContainers(), 0, MAX_CONTAINERS);
            check("buffer_containers", o.getBufferContainers(), 0, 100);
            check("scaledown_window", o.getScaledownWindowS(), 0, 24 * 3600);
            check("max_inputs", o.getMaxInputs(), 0, 1_000_000);
            if (o.getMaxContainers() > 0 && o.getMinContainers() > o.getMaxContainers()) {
                throw new IllegalArgumentException("min_containers=" + o.getMinContainers() + " is more than max_containers="
                        + o.getMaxContainers() + ": give min_containers <= max_containers");
            }
            return new Settings(o.getMinContainers(), o.getMaxContainers(), o.getBufferContainers(),
                    1000L * (o.getScaledownWindowS() > 0 ? o.getScaledownWindowS() : DEFAULT_SCALEDOWN_S), o.getMaxInputs());
        }

        private static void check(String name, int v, int lo, int hi) {
            if (v < lo || v > hi) {
                throw new IllegalArgumentException(name + "=" + v + " is out of range: give " + lo + " to " + hi);
            }
        }

        boolean capped(int workers) {
            return max > 0 && workers >= max;
        }
    }

    /** A slot of a pool held by one attempt; {@code warm} is null when the attempt must start the worker. */
    public static final class Lease {
        final Pool pool;
        final CallRunner.Warm warm;

        Lease(Pool pool, CallRunner.Warm warm) {
            this.pool = pool;
            this.warm = warm;
        }

        public CallRunner.Warm warm() {
            return warm;
        }
    }

    static final class Pool {
        final String key;
        final FunctionSpec spec;
        final Settings settings;
        final Deque<CallRunner.Warm> idle = new ArrayDeque<>();
        final Deque<Runnable> waiting = new ArrayDeque<>();
        int busy;
        int starting;

        Pool(String key, FunctionSpec spec, Settings settings) {
            this.key = key;
            this.spec = spec;
            this.settings = settings;
        }

        int workers() {
            return busy + starting + idle.size();
        }

        boolean active() {
            return busy > 0 || !waiting.isEmpty();
        }

        /** The idle workers to keep: min, and the buffer while busy, within max. */
        int keepIdleOrStarting() {
            int want = Math.max(0, settings.min - busy) + (active() ? settings.buffer : 0);
            return settings.max > 0 ? Math.min(want, Math.max(0, settings.max - busy)) : want;
        }
    }

    private final CallRunner runner;
    private final ExecutorService background;
    private final Map<String, Pool> pools = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public WorkerPool(CallRunner runner, ExecutorService background, ScheduledExecutorService timer) {
        this.runner = runner;
        this.background = background;
        timer.scheduleWithFixedDelay(() -> {
            try {
                scaleDown();
            } catch (RuntimeException e) {
                LOG.warning("scaling down idle workers failed: " + e);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** The pool key of a spec: a hash of its deterministic encoding (declarations, method, options). */
    static String key(FunctionSpec spec) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            CodedOutputStream out = CodedOutputStream.newInstance(bytes);
            out.useDeterministicSerialization();
            spec.writeTo(out);
            out.flush();
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes.toByteArray())).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Pool pool(FunctionSpec spec) {
        return pools.computeIfAbsent(key(spec), k -> new Pool(k, spec, Settings.of(spec.getOptions())));
    }

    /**
     * A slot for one attempt, or null when the pool is at max_containers: then {@code whenFree} runs once a slot
     * frees (it should acquire again).
     */
    public Lease acquire(FunctionSpec spec, Runnable whenFree) {
        Pool p = pool(spec);
        List<CallRunner.Warm> dead = new ArrayList<>();
        Lease lease = null;
        synchronized (this) {
            while (!p.idle.isEmpty()) {
                CallRunner.Warm w = p.idle.pollFirst();
                if (w.alive()) {
                    p.busy++;
                    lease = new Lease(p, w);
                    break;
                }
                dead.add(w);
            }
            if (lease == null) {
                // a worker starting in the background (min or buffer containers) takes the next call in line: it is
                // ready sooner than one this call would start
                if (p.settings.capped(p.workers()) || p.starting > p.waiting.size()) {
                    p.waiting.addLast(whenFree);
                } else {
                    p.busy++;
                    lease = new Lease(p, null);
                }
            }
        }
        dead.forEach(CallRunner.Warm::close);
        topUp(p);
        return lease;
    }

    /**
     * Ends an attempt's hold on its slot: {@code warm} (the worker it ran on, null when none started) goes back to
     * the idle set when {@code reusable}, it is alive and under max_inputs; else it is stopped.
     */
    public void release(Lease lease, CallRunner.Warm warm, boolean reusable) {
        Pool p = lease.pool;
        boolean keep = reusable && warm != null && !closed && warm.alive()
                && (p.settings.maxInputs == 0 || warm.inputs < p.settings.maxInputs);
        Runnable next;
        synchronized (this) {
            p.busy--;
            if (keep) {
                warm.idleSinceMs = System.currentTimeMillis();
                p.idle.addFirst(warm); // the most recently used first: the warmest JIT, the others scale down
            }
            next = p.waiting.pollFirst();
        }
        if (!keep && warm != null) {
            warm.close();
        }
        if (next != null) {
            next.run();
        }
        topUp(p);
    }

    /**
     * Starts the function's min_containers now (the Warm rpc: at declaration) and waits at most {@code waitMs} for
     * them to be ready; returns its workers.
     */
    public int warm(FunctionSpec spec, long waitMs) throws InterruptedException {
        Pool p = pool(spec);
        topUp(p);
        long deadline = System.currentTimeMillis() + waitMs;
        synchronized (this) {
            long left;
            while (p.starting > 0 && !closed && (left = deadline - System.currentTimeMillis()) > 0) {
                wait(left);
            }
            return p.workers();
        }
    }

    /** Workers alive per function name, for status and tests. */
    public synchronized int workers(FunctionSpec spec) {
        Pool p = pools.get(key(spec));
        return p == null ? 0 : p.workers();
    }

    /** Starts workers in the background until the pool has the idle ones it keeps. */
    private void topUp(Pool p) {
        while (true) {
            synchronized (this) {
                if (closed || p.idle.size() + p.starting >= p.keepIdleOrStarting() || p.settings.capped(p.workers())) {
                    return;
                }
                p.starting++;
            }
            background.execute(() -> startIdle(p));
        }
    }

    private void startIdle(Pool p) {
        CallRunner.Started s = null;
        try {
            s = runner.start("pool " + p.key + " (" + p.spec.getName() + ")", p.spec);
            if (s.failure() != null) {
                LOG.info("a warm worker of " + p.spec.getName() + " did not start: " + s.failure().error().getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warning("a warm worker of " + p.spec.getName() + " did not start: " + e);
        }
        Runnable next = null;
        boolean keep = s != null && s.warm() != null && !closed;
        synchronized (this) {
            p.starting--;
            if (keep) {
                s.warm().idleSinceMs = System.currentTimeMillis();
                p.idle.addLast(s.warm());
            }
            next = p.waiting.pollFirst(); // it takes this worker, or starts one of its own when this one failed
            notifyAll();

        }
        if (!keep && s != null && s.warm() != null) {
            s.warm().close();
        }
        if (next != null) {
            next.run();
        }
    }

    /** Stops idle workers past their scaledown window, beyond what each pool keeps. */
    void scaleDown() {
        List<CallRunner.Warm> stop = new ArrayList<>();
        long now = System.currentTimeMillis();
        synchronized (this) {
            for (Pool p : pools.values()) {
                p.idle.removeIf(w -> !w.alive() && stop.add(w));
                int keep = p.keepIdleOrStarting();
                // the least recently used sit at the end
                while (p.idle.size() + p.starting > keep && !p.idle.isEmpty()
                        && now - p.idle.peekLast().idleSinceMs >= p.settings.scaledownMs) {
                    stop.add(p.idle.pollLast());
                }
            }
        }
        for (CallRunner.Warm w : stop) {
            background.execute(w::close);
        }
        if (!stop.isEmpty()) {
            LOG.fine("scaled down " + stop.size() + " idle worker(s)");
        }
    }

    @Override
    public void close() {
        List<CallRunner.Warm> all = new ArrayList<>();
        synchronized (this) {
            closed = true;
            pools.values().forEach(p -> {
                all.addAll(p.idle);
                p.idle.clear();
            });
        }
        all.forEach(CallRunner.Warm::close);
    }
}

package dev.ferry.kernel;

import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.remote.engine.SparePlacement;
import dev.ferry.remote.engine.Spares;
import dev.ferry.remote.engine.WorkerLaunch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Keeps one warm worker for the notebook: starts it with the kernel (or claims a spare worker that an
 * earlier kernel left warm, see {@link Spares}), hands it to cells, and replaces it at once when it dies so
 * the next cell finds a fresh one. Once the kernel has been idle for {@link #SPARE_AFTER_IDLE_MS}, and when
 * it shuts down, it leaves a spare for the next kernel with the same launch.
 */
final class WorkerSupervisor implements AutoCloseable {
    private static final long READY_TIMEOUT_S = 120;
    /** How long the kernel must have been idle before it starts a spare (its warm-up takes a core for ~1.5 s). */
    static final long SPARE_AFTER_IDLE_MS = 2000;
    /** How long a starting kernel waits for a spare that another kernel is starting right now (a restart). */
    private static final Duration CLAIM_WAIT = Duration.ofMillis(1500);
    private final WorkerLaunch launch;
    private final Consumer<WorkerEvent> orphans;
    private final Worker.CallHandler calls;
    private final SpareSettings spareSettings;
    private volatile Worker current;
    private volatile boolean busy;
    private volatile long idleSince = System.nanoTime();
    private ScheduledFuture<?> spareCheck;
    private final ScheduledExecutorService timer;

    /** Where spares wait, the key of this kernel's launch, the environment a spare gets, its idle limit. */
    record SpareSettings(Spares spares, String key, Map<String, String> env, Duration idle) {
        static SpareSettings of(Config config, WorkerLaunch launch, Map<String, String> env) {
            if (config.spareIdleSeconds() <= 0) {
                return null;
            }
            String dir = config.env().property("user.dir");
            Path cwd = (dir != null ? Path.of(dir) : Path.of("")).toAbsolutePath();
            return new SpareSettings(new Spares(config.sparesDir()), Spares.key(launch, env, cwd), env,
                    Duration.ofSeconds(config.spareIdleSeconds()));
        }
    }

    WorkerSupervisor(WorkerLaunch launch, Consumer<WorkerEvent> orphans) {
        this(launch, orphans, Worker.CallHandler.NONE, null);
    }

    /** {@code calls} answers the workers' calls into the kernel (target "history", ...); {@code spares} null: none. */
    WorkerSupervisor(WorkerLaunch launch, Consumer<WorkerEvent> orphans, Worker.CallHandler calls, SpareSettings spares) {
        this.launch = launch;
        this.orphans = orphans;
        this.calls = calls;
        this.spareSettings = spares;
        this.timer = spares == null ? null : java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ferry-spare");
            t.setDaemon(true);
            return t;
        });
    }

    synchronized void start() throws IOException {
        current = startWorker();
    }

    /** A claimed spare when one with this launch waits, else a worker of our own. */
    private Worker startWorker() throws IOException {
        if (spareSettings != null) {
            Optional<Spares.Claimed> c = spareSettings.spares().claim(spareSettings.key(), ProcessHandle.current().pid(),
                    CLAIM_WAIT);
            if (c.isPresent()) {
                Worker w = Worker.attach(new SparePlacement(c.get()), orphans, calls);
                whenReady(w);
                return w;
            }
        }
        Worker w = Worker.start(launch, orphans, calls);
        whenReady(w);
        return w;
    }

    private void whenReady(Worker w) {
        if (timer != null) {
            w.ready().thenRun(this::scheduleSpareCheck);
        }
    }

    /** The worker, once its JShell is warm; a worker that died on the way is reported, and replaced. */
    Worker ready() throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            Worker w = current;
            try {
                w.ready().get(READY_TIMEOUT_S, TimeUnit.SECONDS);
                return w;
            } catch (ExecutionException e) {
                replace(w);
                if (w.placement() instanceof SparePlacement && attempt < 3) {
                    continue; // a spare that died before it said hello: nothing of the session was in it
                }
                throw new IOException("the worker JVM failed to start: " + w.death().getNow(null).explain()
                        + lastLines(w), e);
            } catch (TimeoutException e) {
                replace(w);
                throw new IOException("the worker JVM did not become ready within " + READY_TIMEOUT_S + " s; it was replaced");
            }
        }
    }

    private static String lastLines(Worker w) {
        var d = w.death().getNow(null);
        return d == null || d.lastLines().isEmpty() ? "" : "\nIts last output:\n" + String.join("\n", d.lastLines());
    }

    Worker current() {
        return current;
    }

    /** Replaces {@code dead} (if it is still the current worker) with a fresh one. */
    synchronized void replace(Worker dead) {
        if (current != dead) {
            return;
        }
        dead.kill();
        try {
            current = startWorker();
        } catch (IOException e) {
            System.err.println("[ferry] cannot start a worker: " + e.getMessage());
        }
    }

    void interrupt() {
        Worker w = current;
        if (w != null) {
            w.interrupt();
        }
    }

    /** The shell started ({@code true}) or finished a request: a spare is started after a quiet moment only. */
    void activity(boolean nowBusy) {
        if (timer == null) {
            return;
        }
        busy = nowBusy;
        if (!nowBusy) {
            idleSince = System.nanoTime();
            scheduleSpareCheck();
        }
    }

    private synchronized void scheduleSpareCheck() {
        if (spareCheck != null) {
            spareCheck.cancel(false);
        }
        spareCheck = timer.schedule(() -> {
            if (!busy && System.nanoTime() - idleSince >= TimeUnit.MILLISECONDS.toNanos(SPARE_AFTER_IDLE_MS) - 1_000_000) {
                leaveSpare();
            }
        }, SPARE_AFTER_IDLE_MS, TimeUnit.MILLISECONDS);
    }

    /**
     * Starts a spare for the next kernel unless one with this launch is waiting or starting already; called
     * when the kernel has been idle a while and when it shuts down. Only once this kernel's own worker came up
     * (a launch that cannot start a worker would leave broken spares).
     */
    void leaveSpare() {
        SpareSettings s = spareSettings;
        Worker w = current;
        if (s == null || w == null || !w.ready().isDone() || w.ready().isCompletedExceptionally()) {
            return;
        }
        try {
            if (s.spares().wanted(s.key())) {
                s.spares().launch(launch, s.key(), s.env(), s.idle());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("[ferry] no spare worker for the next kernel: " + e.getMessage());
        }
    }

    @Override
    public void close() {
        Worker w = current;
        if (w != null) {
            w.close();
        }
    }
}

package dev.ferry.kernel;

import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.remote.engine.WorkerLaunch;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Keeps one warm worker for the notebook: starts it with the kernel, hands it to cells, and replaces it
 * at once when it dies so the next cell finds a fresh one.
 */
final class WorkerSupervisor implements AutoCloseable {
    private static final long READY_TIMEOUT_S = 120;
    private final WorkerLaunch launch;
    private final Consumer<WorkerEvent> orphans;
    private final Worker.CallHandler calls;
    private volatile Worker current;

    WorkerSupervisor(WorkerLaunch launch, Consumer<WorkerEvent> orphans) {
        this(launch, orphans, Worker.CallHandler.NONE);
    }

    /** {@code calls} answers the workers' calls into the kernel (target "history", ...). */
    WorkerSupervisor(WorkerLaunch launch, Consumer<WorkerEvent> orphans, Worker.CallHandler calls) {
        this.launch = launch;
        this.orphans = orphans;
        this.calls = calls;
    }

    synchronized void start() throws IOException {
        current = Worker.start(launch, orphans, calls);
    }

    /** The worker, once its JShell is warm; a worker that died on the way is reported, and replaced. */
    Worker ready() throws IOException, InterruptedException {
        Worker w = current;
        try {
            w.ready().get(READY_TIMEOUT_S, TimeUnit.SECONDS);
            return w;
        } catch (ExecutionException e) {
            replace(w);
            throw new IOException("the worker JVM failed to start: " + w.death().getNow(null).explain()
                    + lastLines(w), e);
        } catch (TimeoutException e) {
            replace(w);
            throw new IOException("the worker JVM did not become ready within " + READY_TIMEOUT_S + " s; it was replaced");
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
            current = Worker.start(launch, orphans, calls);
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

    @Override
    public void close() {
        Worker w = current;
        if (w != null) {
            w.close();
        }
    }
}

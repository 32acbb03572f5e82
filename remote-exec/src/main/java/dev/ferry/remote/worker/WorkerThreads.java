package dev.ferry.remote.worker;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;

/**
 * Threads the worker itself owns. JShell's engine joins every live thread of a snippet's thread group
 * after starting the snippet, so a worker thread created lazily while user code runs (the first
 * {@code println} starting the output flusher, say) would be joined forever and hang the cell. These
 * threads belong to a group made at worker start and are started eagerly.
 */
public final class WorkerThreads {
    /** Under the root group: this class may first load while a snippet runs, inside the snippet's group. */
    private static final ThreadGroup GROUP = new ThreadGroup(root(), "ferry-worker");

    private WorkerThreads() {}

    private static ThreadGroup root() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        return g;
    }

    /** A daemon thread in the worker's own group (never in a snippet's group). */
    public static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(GROUP, r, name);
        t.setDaemon(true);
        return t;
    }

    /** A one-thread scheduler whose thread is already running. */
    public static ScheduledExecutorService scheduler(String name) {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> daemon(name, r));
        s.prestartAllCoreThreads();
        return s;
    }
}

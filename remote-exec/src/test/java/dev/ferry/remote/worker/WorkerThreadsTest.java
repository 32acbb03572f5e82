package dev.ferry.remote.worker;

import org.junit.jupiter.api.Test;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.*;

class WorkerThreadsTest {
    /** JShell joins all live threads of a snippet's group: worker threads must never land in it. */
    @Test
    void threadsMadeWhileUserCodeRunsStayOutOfItsGroup() throws Exception {
        ThreadGroup snippetGroup = new ThreadGroup("JShell process local execution");
        AtomicReference<ScheduledExecutorService> made = new AtomicReference<>();
        Thread user = new Thread(snippetGroup, () -> made.set(WorkerThreads.scheduler("t")));
        user.start();
        user.join();
        Thread[] inGroup = new Thread[snippetGroup.activeCount() + 4];
        int n = snippetGroup.enumerate(inGroup);
        assertEquals(0, n, "a worker thread joined the snippet's group");
        AtomicReference<String> group = new AtomicReference<>();
        made.get().submit(() -> group.set(Thread.currentThread().getThreadGroup().getName())).get(5, TimeUnit.SECONDS);
        assertEquals("ferry-worker", group.get());
        made.get().shutdownNow();
    }
}

package dev.ferry.remote;

import org.junit.jupiter.api.Test;

import dev.ferry.remote.engine.WorkerLaunch;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

class WorkerDeathTest {
    @Test
    void explainsEachKindOfDeath() {
        assertTrue(new WorkerDeath(3, List.of(), null).explain().contains("exited with code 3"));
        assertTrue(new WorkerDeath(137, List.of(), null).explain().contains("killed (SIGKILL"));
        String oom = new WorkerDeath(3, List.of("Terminating due to java.lang.OutOfMemoryError: Java heap space"), null).explain();
        assertTrue(oom.contains("ran out of memory"), oom);
        assertTrue(oom.contains("FERRY_JVM_OPTS=-Xmx"), oom);
        assertTrue(oom.contains("Ferry's default is -Xmx2g") && oom.contains("--worker-opts"), oom);
        for (int code : new int[] {0, 3, 137, -1}) {
            assertTrue(new WorkerDeath(code, List.of(), null).explain().contains("session state was lost"));
        }
    }

    @Test
    void theLocalWorkerGetsASmallHeapUnlessSomethingSizesIt() {
        long gib = 1L << 30;
        assertEquals(List.of("-Xmx2g"), WorkerLaunch.defaultHeap(List.of("-ea"), 32 * gib));
        assertEquals(List.of("-Xmx2g"), WorkerLaunch.defaultHeap(List.of(), 0));
        for (String own : List.of("-Xmx8g", "-Xms4g", "-XX:MaxRAMPercentage=50", "-XX:MaxHeapSize=3g")) {
            assertEquals(List.of(), WorkerLaunch.defaultHeap(List.of("-ea", own), 32 * gib), own);
        }
        // on a small machine the JVM's own default (a quarter of RAM) is smaller already
        assertEquals(List.of(), WorkerLaunch.defaultHeap(List.of(), 8 * gib));
    }
}

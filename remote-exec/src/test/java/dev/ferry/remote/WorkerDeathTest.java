package dev.ferry.remote;

import org.junit.jupiter.api.Test;

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
        for (int code : new int[] {0, 3, 137, -1}) {
            assertTrue(new WorkerDeath(code, List.of(), null).explain().contains("session state was lost"));
        }
    }
}

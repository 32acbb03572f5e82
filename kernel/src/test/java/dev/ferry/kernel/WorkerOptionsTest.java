package dev.ferry.kernel;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class WorkerOptionsTest {
    static List<String> heapOptions(Map<String, String> env) {
        return FerryKernel.workerLaunch(Config.from(new String[] {"conn.json"}, env)).jvmOptions().stream()
                .filter(o -> o.startsWith("-Xmx")).toList();
    }

    @Test
    void theUsersHeapOptionReplacesFerrysDefault() {
        assertEquals(List.of("-Xmx8g"), heapOptions(Map.of("FERRY_JVM_OPTS", "-Xmx8g")));
        assertEquals(List.of(), heapOptions(Map.of("FERRY_JVM_OPTS", "-XX:MaxRAMPercentage=50")));
    }

    @Test
    void withoutOneTheHeapIsAtMostTwoGiB() {
        List<String> opts = heapOptions(Map.of());
        assertTrue(opts.isEmpty() || opts.equals(List.of("-Xmx2g")), opts.toString());
        long quarterOfRam = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean()).getTotalMemorySize() / 4;
        assertEquals(quarterOfRam > 2L << 30, !opts.isEmpty(), "RAM/4 = " + quarterOfRam + ", options " + opts);
    }

    @Test
    void theAotCacheReplacesXshareAuto() {
        // the JVM does not start with -XX:AOTCache beside any -Xshare option
        List<String> opts = FerryKernel.workerLaunch(Config.from(new String[] {"--worker-opt=-XX:AOTCache=/k/worker.aot",
                "conn.json"}, Map.of())).jvmOptions();
        assertTrue(opts.contains("-XX:AOTCache=/k/worker.aot"), opts.toString());
        assertTrue(opts.stream().noneMatch(o -> o.startsWith("-Xshare")), opts.toString());
    }

    @Test
    void theUsersXshareOptionWinsOverTheAotCache() {
        List<String> opts = FerryKernel.workerLaunch(Config.from(new String[] {"--worker-opt=-XX:AOTCache=/k/worker.aot",
                "conn.json"}, Map.of("FERRY_JVM_OPTS", "-Xshare:off"))).jvmOptions();
        assertTrue(opts.contains("-Xshare:off"), opts.toString());
        assertTrue(opts.stream().noneMatch(o -> o.startsWith("-XX:AOTCache")), opts.toString());
    }

    @Test
    void aClassDataArchiveKeepsXshareAuto() {
        List<String> opts = FerryKernel.workerLaunch(Config.from(new String[] {"--worker-opt=-XX:SharedArchiveFile=/k/worker.jsa",
                "conn.json"}, Map.of())).jvmOptions();
        assertTrue(opts.contains("-Xshare:auto") && opts.contains("-XX:SharedArchiveFile=/k/worker.jsa"), opts.toString());
    }
}

package dev.ferry.train;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the CUDA C kernels themselves on CPU threads (src/test/cuda/cuda_cpu_shim.h) against plain loops on odd
 * sizes, so their indexing, bounds and block reductions are checked on a machine without a GPU. Needs g++.
 */
class KernelsOnCpuTest {

    @Test
    void everyKernelMatchesPlainLoops(@TempDir Path tmp) throws Exception {
        String gxx = null;
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "g++"))) gxx = Path.of(dir, "g++").toString();
            if (gxx != null) break;
        }
        if (gxx == null) {
            System.out.println("KernelsOnCpuTest: skipped: no g++ on PATH");
            Assumptions.abort("no g++");
        }
        Path bin = tmp.resolve("kernels_on_cpu");
        String build = run(List.of(gxx, "-std=c++20", "-O1", "-pthread", "-o", bin.toString(),
                Path.of("src/test/cuda/kernels_on_cpu.cpp").toAbsolutePath().toString()));
        assertTrue(Files.isExecutable(bin), "g++ failed:\n" + build);
        String out = run(List.of(bin.toString()));
        System.out.print(out);
        assertTrue(out.contains("\n0 failed"), out);
        for (String k : CudaBackend.KERNELS) {
            assertTrue(out.contains("PASS " + k), "kernel " + k + " is not checked:\n" + out);
        }
    }

    private static String run(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(180, TimeUnit.SECONDS), "timed out: " + cmd);
        return out;
    }
}

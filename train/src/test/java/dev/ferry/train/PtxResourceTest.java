package dev.ferry.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import jcuda.nvptxcompiler.JNvPTXCompiler;
import jcuda.nvptxcompiler.nvPTXCompilerHandle;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The committed PTX: its header, its entry points, freshness against nvcc, and JIT for every target SM. */
class PtxResourceTest {

    static String ptx() {
        byte[] b = CudaBackend.ptx();
        return new String(b, 0, b.length - 1, StandardCharsets.US_ASCII);
    }

    @Test
    void headerAndEntryPoints() {
        String ptx = ptx();
        assertTrue(ptx.contains("\n.version 8.0\n"), "PTX must declare .version 8.0 (see build-ptx.sh)");
        assertTrue(ptx.contains("\n.target sm_75\n"), "PTX must target sm_75");
        for (String k : CudaBackend.KERNELS) {
            assertTrue(ptx.contains(".visible .entry " + k + "("), "kernel " + k + " missing from the PTX");
        }
    }

    static String nvcc() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "nvcc"))) return Path.of(dir, "nvcc").toString();
        }
        Path std = Path.of("/usr/local/cuda/bin/nvcc");
        return Files.isExecutable(std) ? std.toString() : null;
    }

    @Test
    void committedPtxIsFreshWhenNvccIsPresent(@TempDir Path tmp) throws Exception {
        String nvcc = nvcc();
        if (nvcc == null) {
            System.out.println("PtxResourceTest: skipped the staleness check: no nvcc on PATH or /usr/local/cuda/bin");
            Assumptions.abort("no nvcc");
        }
        Path script = Path.of("src/main/cuda/build-ptx.sh").toAbsolutePath();
        Path out = tmp.resolve("fresh.ptx");
        Process p = new ProcessBuilder("bash", script.toString(), out.toString()).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "nvcc hung");
        assertEquals(0, p.exitValue(), "build-ptx.sh failed:\n" + log);
        assertEquals(Files.readString(out), ptx(),
                "train/src/main/resources/dev/ferry/train/ferry_train.ptx is stale against ferry_train.cu: "
                        + "run train/src/main/cuda/build-ptx.sh and commit the result");
    }

    @Test
    void jitCompilesForEverySupportedSm() {
        byte[] ptx = CudaBackend.ptx();
        List<String> report = new ArrayList<>();
        try {
            JNvPTXCompiler.setExceptionsEnabled(false);
            int[] major = new int[1], minor = new int[1];
            JNvPTXCompiler.nvPTXCompilerGetVersion(major, minor);
        } catch (LinkageError e) {
            System.out.println("PtxResourceTest: skipped JIT: JCuda's PTX compiler did not load here (" + e + ")");
            Assumptions.abort("no nvPTXCompiler native");
        }
        for (String sm : new String[]{"sm_75", "sm_80", "sm_86", "sm_89", "sm_90"}) {
            nvPTXCompilerHandle h = new nvPTXCompilerHandle();
            assertEquals(0, JNvPTXCompiler.nvPTXCompilerCreate(h, ptx.length, ptx), "create");
            try {
                int rc = JNvPTXCompiler.nvPTXCompilerCompile(h, 2, new String[]{"--gpu-name=" + sm, "--verbose"});
                String info = log(h, false), err = log(h, true);
                assertEquals(0, rc, sm + ": nvPTXCompiler error " + rc + "\n" + err);
                assertTrue(info.contains("bytes spill"), sm + ": no register/spill report in the info log:\n" + info);
                for (String line : info.split("\n")) {
                    if (line.contains("bytes spill")) {
                        assertTrue(line.contains("0 bytes spill stores, 0 bytes spill loads"), sm + " spills: " + line);
                    }
                }
                report.add(sm + " OK");
            } finally {
                JNvPTXCompiler.nvPTXCompilerDestroy(h);
            }
        }
        System.out.println("PtxResourceTest: JIT " + String.join(", ", report) + " (0 spills)");
    }

    private static String log(nvPTXCompilerHandle h, boolean error) {
        long[] size = new long[1];
        if (error) JNvPTXCompiler.nvPTXCompilerGetErrorLogSize(h, size);
        else JNvPTXCompiler.nvPTXCompilerGetInfoLogSize(h, size);
        byte[] b = new byte[(int) size[0] + 1];
        if (error) JNvPTXCompiler.nvPTXCompilerGetErrorLog(h, b);
        else JNvPTXCompiler.nvPTXCompilerGetInfoLog(h, b);
        return new String(b, StandardCharsets.US_ASCII).replace("\0", "");
    }
}

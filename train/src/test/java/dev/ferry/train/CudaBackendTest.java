package dev.ferry.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Kernel parity against the CPU reference on odd sizes; runs only where a GPU opens. */
class CudaBackendTest {

    static CudaBackend gpu;
    static final CpuBackend CPU = new CpuBackend(1);

    @BeforeAll
    static void open() {
        try {
            gpu = CudaBackend.open();
        } catch (CudaBackend.GpuUnavailable e) {
            System.out.println("CudaBackendTest: skipped: " + e.getMessage());
        }
    }

    @AfterAll
    static void close() {
        if (gpu != null) gpu.close();
        CPU.close();
    }

    static float[] rand(Random r, int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) r.nextGaussian();
        return d;
    }

    @Test
    void kernelsMatchTheCpu() {
        Assumptions.assumeTrue(gpu != null, "no GPU");
        Random r = new Random(1);
        int m = 257, n = 129, k = 65;
        float[] a = rand(r, m * k), b = rand(r, k * n);
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                float[] want = new float[m * n], got = new float[m * n];
                CPU.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, want, 0, n, false);
                gpu.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, got, 0, n, false);
                assertArrayEquals(want, got, 1e-3f, "gemm ta=" + ta + " tb=" + tb);
            }
        }
        float[] x = rand(r, 37 * 97), y1 = new float[x.length], y2 = new float[x.length];
        CPU.softmaxForward(x, y1, 37, 97, 13);
        gpu.softmaxForward(x, y2, 37, 97, 13);
        assertArrayEquals(y1, y2, 1e-5f, "softmax");
        float[] g = rand(r, 97), be = rand(r, 97), m1 = new float[37], r1 = new float[37], m2 = new float[37], r2 = new float[37];
        CPU.layerNormForward(x, g, be, y1, m1, r1, 37, 97);
        gpu.layerNormForward(x, g, be, y2, m2, r2, 37, 97);
        assertArrayEquals(y1, y2, 1e-4f, "layernorm");
        CPU.geluForward(x, y1, x.length);
        gpu.geluForward(x, y2, x.length);
        assertArrayEquals(y1, y2, 1e-5f, "gelu");
        int[] t = new int[37];
        for (int i = 0; i < t.length; i++) t[i] = r.nextInt(97);
        assertEquals(CPU.crossEntropyForward(x, t, y1, 37, 97), gpu.crossEntropyForward(x, t, y2, 37, 97), 1e-4f);
        assertEquals(CPU.sumSquares(x, x.length), gpu.sumSquares(x, x.length), 1e-2 * x.length);
    }
}

package dev.ferry.train;

import static jcuda.driver.JCudaDriver.cuCtxCreate;
import static jcuda.driver.JCudaDriver.cuCtxDestroy;
import static jcuda.driver.JCudaDriver.cuCtxSynchronize;
import static jcuda.driver.JCudaDriver.cuDeviceGet;
import static jcuda.driver.JCudaDriver.cuDeviceGetCount;
import static jcuda.driver.JCudaDriver.cuDeviceGetName;
import static jcuda.driver.JCudaDriver.cuDriverGetVersion;
import static jcuda.driver.JCudaDriver.cuEventCreate;
import static jcuda.driver.JCudaDriver.cuEventElapsedTime;
import static jcuda.driver.JCudaDriver.cuEventRecord;
import static jcuda.driver.JCudaDriver.cuEventSynchronize;
import static jcuda.driver.JCudaDriver.cuInit;
import static jcuda.driver.JCudaDriver.cuLaunchKernel;
import static jcuda.driver.JCudaDriver.cuMemAlloc;
import static jcuda.driver.JCudaDriver.cuMemFree;
import static jcuda.driver.JCudaDriver.cuMemGetInfo;
import static jcuda.driver.JCudaDriver.cuMemcpyDtoH;
import static jcuda.driver.JCudaDriver.cuMemcpyHtoD;
import static jcuda.driver.JCudaDriver.cuMemsetD32;
import static jcuda.driver.JCudaDriver.cuModuleGetFunction;
import static jcuda.driver.JCudaDriver.cuModuleLoadData;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import jcuda.Pointer;
import jcuda.Sizeof;
import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.CUdeviceptr;
import jcuda.driver.CUevent;
import jcuda.driver.CUfunction;
import jcuda.driver.CUmodule;
import jcuda.driver.JCudaDriver;

/**
 * The {@link Backend} on a GPU through the JCuda driver API and the committed PTX ({@code ferry_train.ptx},
 * built from {@code src/main/cuda/ferry_train.cu}); it needs only the NVIDIA driver ({@code libcuda.so.1}).
 * This first version keeps the host-array interface: each call copies its operands to pooled device buffers,
 * launches, and copies the outputs back. That is correct and checks kernels against {@link CpuBackend}, but
 * transfers dominate; a device-resident tensor store is the next step.
 */
public final class CudaBackend implements Backend {

    /** Kernel entry points the PTX must define. */
    public static final List<String> KERNELS = List.of("gemm", "softmax_forward", "softmax_backward",
            "layernorm_forward", "layernorm_backward", "gelu_forward", "gelu_backward", "cross_entropy_forward",
            "cross_entropy_backward", "adamw", "sum_squares");

    public static final String PTX_RESOURCE = "/dev/ferry/train/ferry_train.ptx";

    private final CUcontext ctx = new CUcontext();
    private final Map<String, CUfunction> fns = new HashMap<>();
    private final Map<Long, ArrayDeque<CUdeviceptr>> pool = new HashMap<>();
    private final List<CUdeviceptr> inUse = new ArrayList<>();
    private final String device;

    private CudaBackend(int ordinal) {
        JCudaDriver.setExceptionsEnabled(true);
        cuInit(0);
        CUdevice dev = new CUdevice();
        cuDeviceGet(dev, ordinal);
        byte[] name = new byte[256];
        cuDeviceGetName(name, name.length, dev);
        int[] driver = new int[1];
        cuDriverGetVersion(driver);
        device = new String(name, java.nio.charset.StandardCharsets.US_ASCII).trim().replace("\0", "")
                + " (driver CUDA " + driver[0] / 1000 + "." + driver[0] % 1000 / 10 + ")";
        cuCtxCreate(ctx, 0, dev);
        CUmodule module = new CUmodule();
        cuModuleLoadData(module, ptx());
        for (String k : KERNELS) {
            CUfunction f = new CUfunction();
            cuModuleGetFunction(f, module, k);
            fns.put(k, f);
        }
    }

    /** The committed PTX, NUL-terminated as the driver wants it. */
    static byte[] ptx() {
        try (InputStream in = CudaBackend.class.getResourceAsStream(PTX_RESOURCE)) {
            if (in == null) throw new IllegalStateException("missing resource " + PTX_RESOURCE);
            byte[] b = in.readAllBytes();
            return java.util.Arrays.copyOf(b, b.length + 1);
        } catch (IOException e) {
            throw new IllegalStateException("reading " + PTX_RESOURCE + ": " + e.getMessage(), e);
        }
    }

    /**
     * Opens GPU 0, or says in one line why not (no driver, no device, a driver too old for the PTX) so the
     * caller can fall back to the CPU.
     */
    public static CudaBackend open() throws GpuUnavailable {
        try {
            JCudaDriver.setExceptionsEnabled(true);
            cuInit(0);
            int[] n = new int[1];
            cuDeviceGetCount(n);
            if (n[0] == 0) throw new GpuUnavailable("no CUDA device visible");
            return new CudaBackend(0);
        } catch (LinkageError e) {
            String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
            throw new GpuUnavailable("no NVIDIA driver (libcuda.so.1 not loadable: " + first + ")");
        } catch (jcuda.CudaException e) {
            throw new GpuUnavailable("CUDA refused: " + e.getMessage()
                    + " (a driver older than r525 cannot JIT the PTX 8.0 kernels)");
        }
    }

    /** Why no GPU backend could be opened. */
    public static final class GpuUnavailable extends Exception {
        public GpuUnavailable(String why) {
            super(why);
        }
    }

    @Override
    public String name() {
        return "cuda " + device;
    }

    /** {free, total} bytes of device memory. */
    public long[] memInfo() {
        long[] free = new long[1], total = new long[1];
        cuMemGetInfo(free, total);
        return new long[]{free[0], total[0]};
    }

    /** Milliseconds {@code work} took on the device, measured with CUDA events. */
    public float time(Runnable work) {
        CUevent start = new CUevent(), stop = new CUevent();
        cuEventCreate(start, 0);
        cuEventCreate(stop, 0);
        cuEventRecord(start, null);
        work.run();
        cuEventRecord(stop, null);
        cuEventSynchronize(stop);
        float[] ms = new float[1];
        cuEventElapsedTime(ms, start, stop);
        return ms[0];
    }

    // ------------------------------------------------------------------ device buffer pool

    private CUdeviceptr alloc(long bytes) {
        long key = Math.max(4, bytes);
        ArrayDeque<CUdeviceptr> free = pool.computeIfAbsent(key, k -> new ArrayDeque<>());
        CUdeviceptr p = free.poll();
        if (p == null) {
            p = new CUdeviceptr();
            try {
                cuMemAlloc(p, key);
            } catch (jcuda.CudaException e) {
                long[] mem = memInfo();
                throw new IllegalStateException("CUDA out of memory allocating " + key + " bytes (" + mem[0]
                        + " of " + mem[1] + " free): use a smaller model (GptConfig dim/layers) or batch", e);
            }
        }
        inUse.add(p);
        sizes.put(p, key);
        return p;
    }

    private final Map<CUdeviceptr, Long> sizes = new java.util.IdentityHashMap<>();

    private void releaseAll() {
        for (CUdeviceptr p : inUse) pool.get(sizes.get(p)).push(p);
        inUse.clear();
    }

    private CUdeviceptr up(float[] a) {
        CUdeviceptr p = alloc((long) a.length * Sizeof.FLOAT);
        cuMemcpyHtoD(p, Pointer.to(a), (long) a.length * Sizeof.FLOAT);
        return p;
    }

    private CUdeviceptr up(int[] a) {
        CUdeviceptr p = alloc((long) a.length * Sizeof.INT);
        cuMemcpyHtoD(p, Pointer.to(a), (long) a.length * Sizeof.INT);
        return p;
    }

    private CUdeviceptr zeros(int floats) {
        CUdeviceptr p = alloc((long) floats * Sizeof.FLOAT);
        cuMemsetD32(p, 0, floats);
        return p;
    }

    private static void down(CUdeviceptr p, float[] a) {
        cuMemcpyDtoH(Pointer.to(a), p, (long) a.length * Sizeof.FLOAT);
    }

    private void launch(String kernel, int gx, int gy, int bx, int by, Object... args) {
        Pointer[] ps = new Pointer[args.length];
        for (int i = 0; i < args.length; i++) {
            Object a = args[i];
            if (a instanceof CUdeviceptr d) ps[i] = Pointer.to(d);
            else if (a instanceof Integer v) ps[i] = Pointer.to(new int[]{v});
            else if (a instanceof Float v) ps[i] = Pointer.to(new float[]{v});
            else if (a instanceof Boolean v) ps[i] = Pointer.to(new int[]{v ? 1 : 0});
            else throw new IllegalArgumentException("kernel argument " + a);
        }
        cuLaunchKernel(fns.get(kernel), gx, gy, 1, bx, by, 1, 0, null, Pointer.to(ps), null);
    }

    private static int blocks(long n, int per) {
        return (int) ((n + per - 1) / per);
    }

    private static int rowThreads(int cols) {
        return Math.min(256, Math.max(32, Integer.highestOneBit(Math.max(1, cols - 1)) << 1));
    }

    // ------------------------------------------------------------------ Backend

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k, float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb, float[] c, int cOff, int ldc, boolean accumulate) {
        try {
            CUdeviceptr da = up(a), db = up(b), dc = up(c);
            launch("gemm", blocks(n, 16), blocks(m, 16), 16, 16, transA, transB, m, n, k,
                    (CUdeviceptr) da.withByteOffset(4L * aOff), lda, (CUdeviceptr) db.withByteOffset(4L * bOff), ldb,
                    (CUdeviceptr) dc.withByteOffset(4L * cOff), ldc, accumulate);
            cuCtxSynchronize();
            down(dc, c);
        } finally {
            releaseAll();
        }
    }

    @Override
    public void softmaxForward(float[] x, float[] y, int rows, int cols, int causalT) {
        try {
            CUdeviceptr dx = up(x), dy = alloc(4L * y.length);
            launch("softmax_forward", rows, 1, rowThreads(cols), 1, dx, dy, rows, cols, causalT);
            down(dy, y);
        } finally {
            releaseAll();
        }
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols) {
        try {
            CUdeviceptr py = up(y), pdy = up(dy), pdx = up(dx);
            launch("softmax_backward", rows, 1, rowThreads(cols), 1, py, pdy, pdx, rows, cols);
            down(pdx, dx);
        } finally {
            releaseAll();
        }
    }

    @Override
    public void layerNormForward(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                                 int rows, int cols) {
        try {
            CUdeviceptr px = up(x), pg = up(gamma), pb = up(beta), py = alloc(4L * y.length),
                    pm = alloc(4L * rows), pr = alloc(4L * rows);
            launch("layernorm_forward", rows, 1, rowThreads(cols), 1, px, pg, pb, py, pm, pr, rows, cols);
            down(py, y);
            down(pm, mean);
            down(pr, rstd);
        } finally {
            releaseAll();
        }
    }

    @Override
    public void layerNormBackward(float[] x, float[] gamma, float[] mean, float[] rstd, float[] dy, float[] dx,
                                  float[] dgamma, float[] dbeta, int rows, int cols) {
        try {
            CUdeviceptr px = up(x), pg = up(gamma), pm = up(mean), pr = up(rstd), pdy = up(dy), pdx = up(dx),
                    pdg = up(dgamma), pdb = up(dbeta);
            launch("layernorm_backward", rows, 1, rowThreads(cols), 1, px, pg, pm, pr, pdy, pdx, pdg, pdb, rows, cols);
            down(pdx, dx);
            down(pdg, dgamma);
            down(pdb, dbeta);
        } finally {
            releaseAll();
        }
    }

    @Override
    public void geluForward(float[] x, float[] y, int n) {
        try {
            CUdeviceptr px = up(x), py = alloc(4L * y.length);
            launch("gelu_forward", blocks(n, 256), 1, 256, 1, px, py, n);
            down(py, y);
        } finally {
            releaseAll();
        }
    }

    @Override
    public void geluBackward(float[] x, float[] dy, float[] dx, int n) {
        try {
            CUdeviceptr px = up(x), pdy = up(dy), pdx = up(dx);
            launch("gelu_backward", blocks(n, 256), 1, 256, 1, px, pdy, pdx, n);
            down(pdx, dx);
        } finally {
            releaseAll();
        }
    }

    @Override
    public float crossEntropyForward(float[] logits, int[] targets, float[] probs, int rows, int vocab) {
        try {
            CUdeviceptr pl = up(logits), pp = alloc(4L * probs.length), pt = up(targets), pls = alloc(4L * rows);
            launch("softmax_forward", rows, 1, rowThreads(vocab), 1, pl, pp, rows, vocab, 0);
            launch("cross_entropy_forward", blocks(rows, 256), 1, 256, 1, pp, pt, pls, rows, vocab);
            down(pp, probs);
            float[] losses = new float[rows];
            down(pls, losses);
            double s = 0;
            for (float l : losses) s += l;
            return (float) (s / rows);
        } finally {
            releaseAll();
        }
    }

    @Override
    public void crossEntropyBackward(float[] probs, int[] targets, float[] dlogits, int rows, int vocab,
                                     float scale) {
        try {
            CUdeviceptr pp = up(probs), pt = up(targets), pd = up(dlogits);
            launch("cross_entropy_backward", blocks((long) rows * vocab, 256), 1, 256, 1, pp, pt, pd, rows, vocab, scale);
            down(pd, dlogits);
        } finally {
            releaseAll();
        }
    }

    @Override
    public void adamw(float[] param, float[] grad, float[] m, float[] v, int n, float lr, float beta1, float beta2,
                      float eps, float weightDecay, int step) {
        try {
            CUdeviceptr pp = up(param), pg = up(grad), pm = up(m), pv = up(v);
            float bc1 = (float) (1 - Math.pow(beta1, step)), bc2 = (float) (1 - Math.pow(beta2, step));
            launch("adamw", blocks(n, 256), 1, 256, 1, pp, pg, pm, pv, n, lr, beta1, beta2, eps, weightDecay, bc1, bc2);
            down(pp, param);
            down(pm, m);
            down(pv, v);
        } finally {
            releaseAll();
        }
    }

    @Override
    public double sumSquares(float[] x, int n) {
        try {
            CUdeviceptr px = up(x), out = zeros(1);
            launch("sum_squares", Math.min(1024, blocks(n, 256)), 1, 256, 1, px, n, out);
            float[] r = new float[1];
            down(out, r);
            return r[0];
        } finally {
            releaseAll();
        }
    }

    @Override
    public void close() {
        for (ArrayDeque<CUdeviceptr> q : pool.values()) for (CUdeviceptr p : q) cuMemFree(p);
        pool.clear();
        cuCtxDestroy(ctx);
    }
}

package dev.ferry.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * The pure-Java reference backend. Work is split by output rows over a fixed pool of threads; every output
 * element is computed by one thread in a fixed order, so results are bit-identical for any thread count.
 */
public final class CpuBackend implements Backend {

    private final int threads;
    private final ExecutorService pool;

    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public CpuBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "ferry-train-cpu");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "cpu (" + threads + (threads == 1 ? " thread)" : " threads)");
    }

    /** Runs {@code body} for each row in [0, rows), in contiguous chunks on the pool. */
    void parallelRows(int rows, long workPerRow, IntConsumer body) {
        int chunks = pool == null || (long) rows * workPerRow < 32_768 ? 1 : Math.min(threads, rows);
        if (chunks == 1) {
            for (int r = 0; r < rows; r++) body.accept(r);
            return;
        }
        List<Future<?>> fs = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) {
            int lo = (int) ((long) rows * c / chunks), hi = (int) ((long) rows * (c + 1) / chunks);
            fs.add(pool.submit(() -> {
                for (int r = lo; r < hi; r++) body.accept(r);
            }));
        }
        try {
            for (Future<?> f : fs) f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a CPU kernel", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("CPU kernel failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void gemm(boolean transA, boolean transB, int m, int n, int k,
                     float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc, boolean accumulate) {
        parallelRows(m, (long) n * k, i -> {
            int ci = cOff + i * ldc;
            if (!accumulate) java.util.Arrays.fill(c, ci, ci + n, 0f);
            if (!transB) {
                // i-k-j: stream rows of B into the row of C
                for (int p = 0; p < k; p++) {
                    float av = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                    if (av == 0f) continue;
                    int bp = bOff + p * ldb;
                    for (int j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
                }
            } else {
                // B stored n×k: each C element is a dot product of two contiguous rows (A not transposed)
                float[] arow = new float[k];
                for (int p = 0; p < k; p++) arow[p] = transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
                for (int j = 0; j < n; j++) {
                    int bj = bOff + j * ldb;
                    float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
                    int p = 0;
                    for (; p + 3 < k; p += 4) {
                        s0 += arow[p] * b[bj + p];
                        s1 += arow[p + 1] * b[bj + p + 1];
                        s2 += arow[p + 2] * b[bj + p + 2];
                        s3 += arow[p + 3] * b[bj + p + 3];
                    }
                    for (; p < k; p++) s0 += arow[p] * b[bj + p];
                    c[ci + j] += (s0 + s1) + (s2 + s3);
                }
            }
        });
    }

    @Override
    public void softmaxForward(float[] x, float[] y, int rows, int cols, int causalT) {
        parallelRows(rows, cols, r -> {
            int o = r * cols;
            int valid = causalT > 0 ? Math.min(cols, r % causalT + 1) : cols;
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < valid; j++) max = Math.max(max, x[o + j]);
            double sum = 0;
            for (int j = 0; j < valid; j++) {
                float e = (float) Math.exp(x[o + j] - max);
                y[o + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < valid; j++) y[o + j] *= inv;
            for (int j = valid; j < cols; j++) y[o + j] = 0f;
        });
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols) {
        parallelRows(rows, cols, r -> {
            int o = r * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) dot += (double) dy[o + j] * y[o + j];
            float d = (float) dot;
            for (int j = 0; j < cols; j++) dx[o + j] += y[o + j] * (dy[o + j] - d);
        });
    }

    @Override
    public void layerNormForward(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                                 int rows, int cols) {
        parallelRows(rows, cols, r -> {
            int o = r * cols;
            double s = 0;
            for (int j = 0; j < cols; j++) s += x[o + j];
            float mu = (float) (s / cols);
            double v = 0;
            for (int j = 0; j < cols; j++) {
                float d = x[o + j] - mu;
                v += (double) d * d;
            }
            float rs = (float) (1.0 / Math.sqrt(v / cols + 1e-5));
            mean[r] = mu;
            rstd[r] = rs;
            for (int j = 0; j < cols; j++) y[o + j] = (x[o + j] - mu) * rs * gamma[j] + beta[j];
        });
    }

    @Override
    public void layerNormBackward(float[] x, float[] gamma, float[] mean, float[] rstd, float[] dy,
                                  float[] dx, float[] dgamma, float[] dbeta, int rows, int cols) {
        parallelRows(rows, cols, r -> {
            int o = r * cols;
            float mu = mean[r], rs = rstd[r];
            double sumG = 0, sumGx = 0;
            for (int j = 0; j < cols; j++) {
                float g = dy[o + j] * gamma[j];
                float xh = (x[o + j] - mu) * rs;
                sumG += g;
                sumGx += (double) g * xh;
            }
            float mg = (float) (sumG / cols), mgx = (float) (sumGx / cols);
            for (int j = 0; j < cols; j++) {
                float xh = (x[o + j] - mu) * rs;
                dx[o + j] += rs * (dy[o + j] * gamma[j] - mg - xh * mgx);
            }
        });
        // parameter gradients: split by column so each element has a single writer
        parallelRows(cols, rows, j -> {
            float dg = 0, db = 0;
            for (int r = 0; r < rows; r++) {
                int o = r * cols + j;
                dg += dy[o] * (x[o] - mean[r]) * rstd[r];
                db += dy[o];
            }
            dgamma[j] += dg;
            dbeta[j] += db;
        });
    }

    private static final float GELU_C = 0.7978845608f; // sqrt(2/pi)

    @Override
    public void geluForward(float[] x, float[] y, int n) {
        parallelRows(n, 20, i -> {
            float v = x[i];
            float t = (float) Math.tanh(GELU_C * (v + 0.044715f * v * v * v));
            y[i] = 0.5f * v * (1f + t);
        });
    }

    @Override
    public void geluBackward(float[] x, float[] dy, float[] dx, int n) {
        parallelRows(n, 30, i -> {
            float v = x[i];
            float u = GELU_C * (v + 0.044715f * v * v * v);
            float t = (float) Math.tanh(u);
            float du = GELU_C * (1f + 3f * 0.044715f * v * v);
            dx[i] += dy[i] * (0.5f * (1f + t) + 0.5f * v * (1f - t * t) * du);
        });
    }

    @Override
    public float crossEntropyForward(float[] logits, int[] targets, float[] probs, int rows, int vocab) {
        softmaxForward(logits, probs, rows, vocab, 0);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int t = targets[r];
            if (t < 0 || t >= vocab) throw new IllegalArgumentException("target " + t + " outside vocab " + vocab);
            loss -= Math.log(Math.max(probs[r * vocab + t], 1e-30f));
        }
        return (float) (loss / rows);
    }

    @Override
    public void crossEntropyBackward(float[] probs, int[] targets, float[] dlogits, int rows, int vocab,
                                     float scale) {
        float s = scale / rows;
        parallelRows(rows, vocab, r -> {
            int o = r * vocab;
            for (int j = 0; j < vocab; j++) dlogits[o + j] += s * probs[o + j];
            dlogits[o + targets[r]] -= s;
        });
    }

    @Override
    public void adamw(float[] p, float[] g, float[] m, float[] v, int n,
                      float lr, float beta1, float beta2, float eps, float weightDecay, int step) {
        float bc1 = (float) (1 - Math.pow(beta1, step)), bc2 = (float) (1 - Math.pow(beta2, step));
        parallelRows(n, 16, i -> {
            float gi = g[i];
            m[i] = beta1 * m[i] + (1 - beta1) * gi;
            v[i] = beta2 * v[i] + (1 - beta2) * gi * gi;
            float mh = m[i] / bc1, vh = v[i] / bc2;
            p[i] -= lr * (mh / ((float) Math.sqrt(vh) + eps) + weightDecay * p[i]);
        });
    }

    @Override
    public double sumSquares(float[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) x[i] * x[i];
        return s;
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}

package dev.ferry.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every op's backward against central finite differences, on odd sizes. */
class GradCheckTest {

    static final CpuBackend BE = new CpuBackend(2);
    static final Ops OPS = new Ops(BE);

    @AfterAll
    static void close() {
        BE.close();
    }

    static Tensor rand(Random r, float scale, int... shape) {
        float[] d = new float[Tensor.size(shape)];
        for (int i = 0; i < d.length; i++) d[i] = (float) (r.nextGaussian() * scale);
        return Tensor.param(d, shape);
    }

    /** Checks d(sum(f(inputs) ⊙ w))/d(input) for every element of every input. */
    static void check(String op, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Random r = new Random(7);
        Tensor out0 = f.apply(inputs);
        float[] w = new float[out0.size()];
        for (int i = 0; i < w.length; i++) w[i] = (float) r.nextGaussian();
        Function<Tensor[], Double> objective = in -> {
            Tensor o = f.apply(in);
            double s = 0;
            for (int i = 0; i < w.length; i++) s += (double) o.data[i] * w[i];
            return s;
        };
        for (Tensor t : inputs) t.zeroGrad();
        Tensor out = f.apply(inputs);
        Tensor weights = Tensor.of(w, out.shape);
        // loss = sum(out ⊙ w): seed out's gradient with w and run the graph's backward steps
        Tensor loss = out.size() == 1 ? out : dot(out, weights);
        if (out.size() == 1) {
            loss.grad()[0] = w[0] - 1f; // backward() adds the 1
        }
        loss.backward();
        float eps = 1e-2f;
        for (int ti = 0; ti < inputs.length; ti++) {
            Tensor t = inputs[ti];
            for (int i = 0; i < t.size(); i++) {
                float keep = t.data[i];
                t.data[i] = keep + eps;
                double plus = objective.apply(inputs);
                t.data[i] = keep - eps;
                double minus = objective.apply(inputs);
                t.data[i] = keep;
                double numeric = (plus - minus) / (2 * eps);
                double analytic = t.grad()[i];
                double tol = 2e-2 * Math.max(1, Math.abs(numeric));
                assertTrue(Math.abs(numeric - analytic) <= tol, op + ": input " + ti + " element " + i
                        + " analytic " + analytic + " vs numeric " + numeric);
            }
        }
    }

    private static Tensor dot(Tensor out, Tensor w) {
        Tensor s = new Tensor(new int[]{1}, new float[1], false);
        double acc = 0;
        for (int i = 0; i < out.size(); i++) acc += (double) out.data[i] * w.data[i];
        s.data[0] = (float) acc;
        s.parents = new Tensor[]{out};
        s.backwardStep = () -> {
            float[] g = out.grad();
            for (int i = 0; i < g.length; i++) g[i] += s.grad()[0] * w.data[i];
        };
        return s;
    }

    @Test
    void matmul() {
        Random r = new Random(1);
        check("matmul", in -> OPS.matmul(in[0], in[1]), rand(r, 1, 3, 5, 7), rand(r, 1, 7, 9));
    }

    @Test
    void addAndBias() {
        Random r = new Random(2);
        check("addBias", in -> OPS.addBias(in[0], in[1]), rand(r, 1, 3, 5, 7), rand(r, 1, 7));
        check("add", in -> OPS.add(in[0], in[1]), rand(r, 1, 3, 5), rand(r, 1, 3, 5));
    }

    @Test
    void softmax() {
        Random r = new Random(3);
        check("softmax", in -> OPS.softmax(in[0]), rand(r, 1, 3, 5, 7));
    }

    @Test
    void layerNorm() {
        Random r = new Random(4);
        Tensor g = rand(r, 1, 7), b = rand(r, 1, 7);
        check("layerNorm", in -> OPS.layerNorm(in[0], in[1], in[2]), rand(r, 1, 3, 5, 7), g, b);
    }

    @Test
    void gelu() {
        Random r = new Random(5);
        check("gelu", in -> OPS.gelu(in[0]), rand(r, 1.5f, 3, 5, 7));
    }

    @Test
    void causalSelfAttention() {
        Random r = new Random(6);
        check("attention", in -> OPS.causalSelfAttention(in[0], 3), rand(r, 1, 3, 5, 9));
    }

    @Test
    void crossEntropy() {
        Random r = new Random(8);
        int[] targets = {0, 4, 6, 2, 1, 3, 5, 6, 0, 2, 1, 4, 3, 5, 6};
        check("crossEntropy", in -> OPS.crossEntropy(in[0], targets), rand(r, 1, 3, 5, 7));
    }

    @Test
    void embedding() {
        Random r = new Random(9);
        int[] idx = {4, 0, 4, 2, 1, 6, 3, 3, 0, 5, 2, 1, 6, 4, 0};
        check("embedding", in -> OPS.embedding(in[0], idx, 3, 5, 9), rand(r, 1, 7, 9));
    }

    @Test
    void causalAttentionIgnoresTheFuture() {
        Random r = new Random(10);
        Tensor a = rand(r, 1, 1, 5, 6);
        Tensor b = Tensor.of(a.data.clone(), 1, 5, 6);
        for (int j = 0; j < 6; j++) b.data[4 * 6 + j] += 3f; // change only the last position
        Tensor oa = OPS.causalSelfAttention(a, 1), ob = OPS.causalSelfAttention(b, 1);
        for (int i = 0; i < 4 * 2; i++) assertEquals(oa.data[i], ob.data[i], 0f, "position " + i / 2 + " saw the future");
    }

    @Test
    void gemmTransposesMatchNaiveAndThreadCounts() {
        Random r = new Random(11);
        int m = 67, n = 129, k = 65;
        float[] a = rand(r, 1, m * k).data, b = rand(r, 1, k * n).data;
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                float[] want = new float[m * n];
                for (int i = 0; i < m; i++) {
                    for (int j = 0; j < n; j++) {
                        double s = 0;
                        for (int p = 0; p < k; p++) {
                            s += (double) (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
                        }
                        want[i * n + j] = (float) s;
                    }
                }
                float[] one = new float[m * n], two = new float[m * n];
                try (CpuBackend single = new CpuBackend(1)) {
                    single.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, one, 0, n, false);
                }
                BE.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, two, 0, n, false);
                assertArrayEquals(want, one, 1e-3f, "gemm ta=" + ta + " tb=" + tb);
                assertArrayEquals(one, two, 0f, "1 and 2 threads differ, ta=" + ta + " tb=" + tb);
            }
        }
    }

    @Test
    void adamwMatchesTheFormula() {
        float[] p = {1f, -2f}, g = {0.5f, -0.25f}, m = new float[2], v = new float[2];
        BE.adamw(p, g, m, v, 2, 0.1f, 0.9f, 0.95f, 1e-8f, 0.01f, 1);
        // step 1: m̂ = g, v̂ = g², update = lr·(sign(g) + wd·p)
        assertEquals(1f - 0.1f * (1f + 0.01f), p[0], 1e-6f);
        assertEquals(-2f - 0.1f * (-1f + 0.01f * -2f), p[1], 1e-6f);
    }
}

package dev.ferry.train;

import java.util.Arrays;

/**
 * Differentiable ops on {@link Tensor}s, computed by one {@link Backend}. Shapes are row-major; ops on the
 * last dimension treat every leading dimension as rows.
 */
public final class Ops {

    private final Backend be;

    public Ops(Backend backend) {
        this.be = backend;
    }

    public Backend backend() {
        return be;
    }

    private static Tensor result(int[] shape, Tensor... parents) {
        Tensor t = new Tensor(shape, new float[Tensor.size(shape)], false);
        t.parents = parents;
        return t;
    }

    private static boolean anyGrad(Tensor... ts) {
        for (Tensor t : ts) if (t.needsGrad()) return true;
        return false;
    }

    private static int rows(Tensor x) {
        return x.size() / x.dim(-1);
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new IllegalArgumentException(what);
    }

    /** {@code x[..., k] · w[k, n] → [..., n]}. */
    public Tensor matmul(Tensor x, Tensor w) {
        check(w.shape.length == 2 && x.dim(-1) == w.dim(0),
                "matmul: " + x + " · " + w + " (the last dim of x must equal the rows of w)");
        int m = rows(x), k = w.dim(0), n = w.dim(1);
        int[] shape = x.shape();
        shape[shape.length - 1] = n;
        Tensor out = result(shape, x, w);
        be.gemm(false, false, m, n, k, x.data, 0, k, w.data, 0, n, out.data, 0, n, false);
        if (anyGrad(x, w)) out.backwardStep = () -> {
            float[] g = out.grad();
            if (x.needsGrad()) be.gemm(false, true, m, k, n, g, 0, n, w.data, 0, n, x.grad(), 0, k, true);
            if (w.needsGrad()) be.gemm(true, false, k, n, m, x.data, 0, k, g, 0, n, w.grad(), 0, n, true);
        };
        return out;
    }

    /** {@code x[..., n] + b[n]}. */
    public Tensor addBias(Tensor x, Tensor b) {
        int n = x.dim(-1);
        check(b.size() == n, "addBias: " + x + " + " + b);
        Tensor out = result(x.shape, x, b);
        for (int i = 0; i < x.size(); i++) out.data[i] = x.data[i] + b.data[i % n];
        if (anyGrad(x, b)) out.backwardStep = () -> {
            float[] g = out.grad();
            if (x.needsGrad()) {
                float[] gx = x.grad();
                for (int i = 0; i < g.length; i++) gx[i] += g[i];
            }
            if (b.needsGrad()) {
                float[] gb = b.grad();
                for (int i = 0; i < g.length; i++) gb[i % n] += g[i];
            }
        };
        return out;
    }

    /** Elementwise {@code a + b} of equal shapes. */
    public Tensor add(Tensor a, Tensor b) {
        check(Arrays.equals(a.shape, b.shape), "add: " + a + " + " + b);
        Tensor out = result(a.shape, a, b);
        for (int i = 0; i < a.size(); i++) out.data[i] = a.data[i] + b.data[i];
        if (anyGrad(a, b)) out.backwardStep = () -> {
            float[] g = out.grad();
            for (Tensor t : new Tensor[]{a, b}) {
                if (!t.needsGrad()) continue;
                float[] gt = t.grad();
                for (int i = 0; i < g.length; i++) gt[i] += g[i];
            }
        };
        return out;
    }

    public Tensor gelu(Tensor x) {
        Tensor out = result(x.shape, x);
        be.geluForward(x.data, out.data, x.size());
        if (anyGrad(x)) out.backwardStep = () -> be.geluBackward(x.data, out.grad(), x.grad(), x.size());
        return out;
    }

    /** Softmax over the last dimension. */
    public Tensor softmax(Tensor x) {
        int cols = x.dim(-1), rows = rows(x);
        Tensor out = result(x.shape, x);
        be.softmaxForward(x.data, out.data, rows, cols, 0);
        if (anyGrad(x)) out.backwardStep = () -> be.softmaxBackward(out.data, out.grad(), x.grad(), rows, cols);
        return out;
    }

    public Tensor layerNorm(Tensor x, Tensor gamma, Tensor beta) {
        int cols = x.dim(-1), rows = rows(x);
        check(gamma.size() == cols && beta.size() == cols, "layerNorm: " + x + " with " + gamma + ", " + beta);
        Tensor out = result(x.shape, x, gamma, beta);
        float[] mean = new float[rows], rstd = new float[rows];
        be.layerNormForward(x.data, gamma.data, beta.data, out.data, mean, rstd, rows, cols);
        if (anyGrad(x, gamma, beta)) out.backwardStep = () -> be.layerNormBackward(x.data, gamma.data, mean, rstd,
                out.grad(), x.grad(), gamma.grad(), beta.grad(), rows, cols);
        return out;
    }

    /** Rows of {@code table[v, c]} picked by {@code idx}, shaped {@code shape} (its last dim is c). */
    public Tensor embedding(Tensor table, int[] idx, int... shape) {
        int c = table.dim(1), v = table.dim(0);
        check(shape[shape.length - 1] == c && Tensor.size(shape) == idx.length * c,
                "embedding: " + idx.length + " indices into " + table + " as " + Arrays.toString(shape));
        Tensor out = result(shape, table);
        for (int i = 0; i < idx.length; i++) {
            if (idx[i] < 0 || idx[i] >= v) throw new IllegalArgumentException("index " + idx[i] + " outside " + table);
            System.arraycopy(table.data, idx[i] * c, out.data, i * c, c);
        }
        if (anyGrad(table)) out.backwardStep = () -> {
            float[] g = out.grad(), gt = table.grad();
            for (int i = 0; i < idx.length; i++) {
                int o = idx[i] * c;
                for (int j = 0; j < c; j++) gt[o + j] += g[i * c + j];
            }
        };
        return out;
    }

    /**
     * Causal multi-head self-attention: {@code qkv[b, t, 3c]} holds q, k and v side by side (each c wide,
     * split into {@code heads} heads); returns {@code [b, t, c]}.
     */
    public Tensor causalSelfAttention(Tensor qkv, int heads) {
        check(qkv.shape.length == 3 && qkv.dim(2) % 3 == 0 && (qkv.dim(2) / 3) % heads == 0,
                "attention: " + qkv + " must be [batch, time, 3·channels] with channels divisible by " + heads);
        int bsz = qkv.dim(0), t = qkv.dim(1), c = qkv.dim(2) / 3, hd = c / heads, ld = 3 * c;
        float scale = (float) (1.0 / Math.sqrt(hd));
        Tensor out = result(new int[]{bsz, t, c}, qkv);
        float[] att = new float[bsz * heads * t * t];
        float[] scores = new float[att.length];
        for (int b = 0; b < bsz; b++) {
            for (int h = 0; h < heads; h++) {
                int q = b * t * ld + h * hd, p = (b * heads + h) * t * t;
                be.gemm(false, true, t, t, hd, qkv.data, q, ld, qkv.data, q + c, ld, scores, p, t, false);
            }
        }
        for (int i = 0; i < scores.length; i++) scores[i] *= scale;
        be.softmaxForward(scores, att, bsz * heads * t, t, t);
        for (int b = 0; b < bsz; b++) {
            for (int h = 0; h < heads; h++) {
                int q = b * t * ld + h * hd, p = (b * heads + h) * t * t, o = b * t * c + h * hd;
                be.gemm(false, false, t, hd, t, att, p, t, qkv.data, q + 2 * c, ld, out.data, o, c, false);
            }
        }
        if (anyGrad(qkv)) out.backwardStep = () -> {
            float[] g = out.grad(), gq = qkv.grad();
            float[] datt = new float[att.length], ds = new float[att.length];
            for (int b = 0; b < bsz; b++) {
                for (int h = 0; h < heads; h++) {
                    int q = b * t * ld + h * hd, p = (b * heads + h) * t * t, o = b * t * c + h * hd;
                    be.gemm(false, true, t, t, hd, g, o, c, qkv.data, q + 2 * c, ld, datt, p, t, false);
                    be.gemm(true, false, t, hd, t, att, p, t, g, o, c, gq, q + 2 * c, ld, true);
                }
            }
            be.softmaxBackward(att, datt, ds, bsz * heads * t, t);
            for (int i = 0; i < ds.length; i++) ds[i] *= scale;
            for (int b = 0; b < bsz; b++) {
                for (int h = 0; h < heads; h++) {
                    int q = b * t * ld + h * hd, p = (b * heads + h) * t * t;
                    be.gemm(false, false, t, hd, t, ds, p, t, qkv.data, q + c, ld, gq, q, ld, true);
                    be.gemm(true, false, t, hd, t, ds, p, t, qkv.data, q, ld, gq, q + c, ld, true);
                }
            }
        };
        return out;
    }

    /** Mean cross-entropy of {@code logits[..., v]} against one target per row; a scalar. */
    public Tensor crossEntropy(Tensor logits, int[] targets) {
        int v = logits.dim(-1), rows = rows(logits);
        check(targets.length == rows, "crossEntropy: " + rows + " logit rows, " + targets.length + " targets");
        Tensor out = result(new int[]{1}, logits);
        float[] probs = new float[logits.size()];
        out.data[0] = be.crossEntropyForward(logits.data, targets, probs, rows, v);
        if (anyGrad(logits)) out.backwardStep = () ->
                be.crossEntropyBackward(probs, targets, logits.grad(), rows, v, out.grad()[0]);
        return out;
    }
}

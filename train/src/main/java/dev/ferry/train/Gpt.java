package dev.ferry.train;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A character-level GPT: token and position embeddings, {@code layers} pre-norm blocks (causal self-attention
 * and a GELU MLP, each with a residual), a final layer norm and a linear head to the vocabulary.
 */
public final class Gpt {

    private final GptConfig cfg;
    private final Map<String, Tensor> params = new LinkedHashMap<>();

    /** A freshly initialised model: weights ~ N(0, 0.02), biases 0, norm gains 1; fully determined by seed. */
    public Gpt(GptConfig cfg, long seed) {
        this.cfg = cfg;
        Random rnd = new Random(seed);
        int v = cfg.vocab(), c = cfg.dim();
        normal("wte", rnd, v, c);
        normal("wpe", rnd, cfg.context(), c);
        for (int l = 0; l < cfg.layers(); l++) {
            String p = "h" + l + ".";
            ones(p + "ln1.g", c);
            zeros(p + "ln1.b", c);
            normal(p + "attn.w", rnd, c, 3 * c);
            zeros(p + "attn.b", 3 * c);
            normal(p + "proj.w", rnd, c, c);
            zeros(p + "proj.b", c);
            ones(p + "ln2.g", c);
            zeros(p + "ln2.b", c);
            normal(p + "fc.w", rnd, c, 4 * c);
            zeros(p + "fc.b", 4 * c);
            normal(p + "fcproj.w", rnd, 4 * c, c);
            zeros(p + "fcproj.b", c);
        }
        ones("lnf.g", c);
        zeros("lnf.b", c);
        normal("head.w", rnd, c, v);
        zeros("head.b", v);
    }

    private void normal(String name, Random rnd, int rows, int cols) {
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) d[i] = (float) (rnd.nextGaussian() * 0.02);
        params.put(name, Tensor.param(d, rows, cols));
    }

    private void zeros(String name, int n) {
        params.put(name, Tensor.param(new float[n], n));
    }

    private void ones(String name, int n) {
        float[] d = new float[n];
        java.util.Arrays.fill(d, 1f);
        params.put(name, Tensor.param(d, n));
    }

    public GptConfig config() {
        return cfg;
    }

    /** Parameters by name, in a fixed order (the checkpoint order). */
    public Map<String, Tensor> namedParameters() {
        return Collections.unmodifiableMap(params);
    }

    public List<Tensor> parameters() {
        return new ArrayList<>(params.values());
    }

    public long parameterCount() {
        long n = 0;
        for (Tensor t : params.values()) n += t.size();
        return n;
    }

    private Tensor p(String name) {
        return params.get(name);
    }

    /** Logits {@code [batch, time, vocab]} for token ids {@code tokens[batch·time]}, time ≤ context. */
    public Tensor forward(Ops ops, int[] tokens, int batch, int time) {
        if (time > cfg.context() || tokens.length != batch * time) {
            throw new IllegalArgumentException("forward: " + tokens.length + " tokens as " + batch + "x" + time
                    + " (time must be <= context " + cfg.context() + ")");
        }
        int c = cfg.dim();
        int[] pos = new int[batch * time];
        for (int i = 0; i < pos.length; i++) pos[i] = i % time;
        Tensor x = ops.add(ops.embedding(p("wte"), tokens, batch, time, c), ops.embedding(p("wpe"), pos, batch, time, c));
        for (int l = 0; l < cfg.layers(); l++) {
            String n = "h" + l + ".";
            Tensor h = ops.layerNorm(x, p(n + "ln1.g"), p(n + "ln1.b"));
            Tensor qkv = ops.addBias(ops.matmul(h, p(n + "attn.w")), p(n + "attn.b"));
            Tensor a = ops.causalSelfAttention(qkv, cfg.heads());
            x = ops.add(x, ops.addBias(ops.matmul(a, p(n + "proj.w")), p(n + "proj.b")));
            h = ops.layerNorm(x, p(n + "ln2.g"), p(n + "ln2.b"));
            Tensor f = ops.gelu(ops.addBias(ops.matmul(h, p(n + "fc.w")), p(n + "fc.b")));
            x = ops.add(x, ops.addBias(ops.matmul(f, p(n + "fcproj.w")), p(n + "fcproj.b")));
        }
        x = ops.layerNorm(x, p("lnf.g"), p("lnf.b"));
        return ops.addBias(ops.matmul(x, p("head.w")), p("head.b"));
    }

    /** Mean next-token cross-entropy of {@code inputs → targets} (both {@code [batch·time]}). */
    public Tensor loss(Ops ops, int[] inputs, int[] targets, int batch, int time) {
        return ops.crossEntropy(forward(ops, inputs, batch, time), targets);
    }

    /** Samples {@code n} tokens after {@code prompt} at {@code temperature}, using {@code rnd}. */
    public int[] sample(Ops ops, int[] prompt, int n, float temperature, Random rnd) {
        int[] seq = java.util.Arrays.copyOf(prompt, prompt.length + n);
        int len = prompt.length;
        int v = cfg.vocab();
        for (int s = 0; s < n; s++) {
            int start = Math.max(0, len - cfg.context());
            int[] window = java.util.Arrays.copyOfRange(seq, start, len);
            Tensor logits = forward(ops, window, 1, window.length);
            int o = (window.length - 1) * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < v; j++) max = Math.max(max, logits.data[o + j] / temperature);
            double[] pr = new double[v];
            double sum = 0;
            for (int j = 0; j < v; j++) sum += pr[j] = Math.exp(logits.data[o + j] / temperature - max);
            double u = rnd.nextDouble() * sum;
            int pick = v - 1;
            for (int j = 0; j < v; j++) {
                u -= pr[j];
                if (u <= 0) {
                    pick = j;
                    break;
                }
            }
            seq[len++] = pick;
        }
        return java.util.Arrays.copyOfRange(seq, prompt.length, len);
    }
}

package dev.ferry.train;

import java.util.List;

/** AdamW (decoupled weight decay) over a fixed list of parameters; its moments are part of a checkpoint. */
public final class AdamW {

    public final float lr, beta1, beta2, eps, weightDecay;
    private final List<Tensor> params;
    final float[][] m, v;
    int step;

    public AdamW(List<Tensor> params, float lr, float weightDecay) {
        this(params, lr, 0.9f, 0.95f, 1e-8f, weightDecay);
    }

    public AdamW(List<Tensor> params, float lr, float beta1, float beta2, float eps, float weightDecay) {
        this.params = List.copyOf(params);
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = eps;
        this.weightDecay = weightDecay;
        m = new float[params.size()][];
        v = new float[params.size()][];
        for (int i = 0; i < params.size(); i++) {
            m[i] = new float[params.get(i).size()];
            v[i] = new float[params.get(i).size()];
        }
    }

    /** Updates every parameter from its gradient, then zeroes the gradients. */
    public void step(Backend be) {
        step++;
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            be.adamw(p.data, p.grad(), m[i], v[i], p.size(), lr, beta1, beta2, eps, weightDecay, step);
            p.zeroGrad();
        }
    }

    public int steps() {
        return step;
    }
}

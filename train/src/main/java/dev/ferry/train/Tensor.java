package dev.ferry.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A float32 row-major tensor with reverse-mode autodiff. Ops in {@link Ops} record, on the tensors they
 * produce, their inputs and a backward step; {@link #backward()} on a scalar runs those steps in reverse
 * topological order, accumulating into {@link #grad()}.
 */
public final class Tensor {

    final int[] shape;
    final float[] data;
    float[] grad;
    final boolean requiresGrad;
    Tensor[] parents = new Tensor[0];
    Runnable backwardStep;

    Tensor(int[] shape, float[] data, boolean requiresGrad) {
        int n = size(shape);
        if (data.length != n) {
            throw new IllegalArgumentException("data has " + data.length + " floats, shape "
                    + Arrays.toString(shape) + " needs " + n);
        }
        this.shape = shape.clone();
        this.data = data;
        this.requiresGrad = requiresGrad;
    }

    /** A leaf that holds trainable values (its gradient is kept). */
    public static Tensor param(float[] data, int... shape) {
        return new Tensor(shape, data, true);
    }

    /** A leaf constant (no gradient). */
    public static Tensor of(float[] data, int... shape) {
        return new Tensor(shape, data, false);
    }

    public static Tensor zeros(int... shape) {
        return new Tensor(shape, new float[size(shape)], false);
    }

    static int size(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d <= 0) throw new IllegalArgumentException("bad shape " + Arrays.toString(shape));
            n *= d;
        }
        if (n > Integer.MAX_VALUE) throw new IllegalArgumentException("too large: " + Arrays.toString(shape));
        return (int) n;
    }

    public int[] shape() {
        return shape.clone();
    }

    public int dim(int i) {
        return shape[i < 0 ? shape.length + i : i];
    }

    public int size() {
        return data.length;
    }

    /** The values, live (writes change the tensor). */
    public float[] data() {
        return data;
    }

    /** The gradient, allocated on first use; zeros before any backward. */
    public float[] grad() {
        if (grad == null) grad = new float[data.length];
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    public float item() {
        if (data.length != 1) throw new IllegalStateException("item() needs a scalar, shape " + Arrays.toString(shape));
        return data[0];
    }

    public void zeroGrad() {
        if (grad != null) Arrays.fill(grad, 0f);
    }

    /** Backpropagates from this scalar: d(this)/d(this) = 1. */
    public void backward() {
        if (data.length != 1) {
            throw new IllegalStateException("backward() starts from a scalar loss, shape " + Arrays.toString(shape));
        }
        List<Tensor> order = new ArrayList<>();
        topo(this, new HashSet<>(), order);
        grad()[0] += 1f;
        for (int i = order.size() - 1; i >= 0; i--) {
            Tensor t = order.get(i);
            if (t.backwardStep != null) t.backwardStep.run();
        }
    }

    private static void topo(Tensor root, Set<Tensor> seen, List<Tensor> out) {
        // iterative DFS post-order (graphs of deep models would overflow a recursive one)
        ArrayList<Object[]> stack = new ArrayList<>();
        stack.add(new Object[]{root, 0});
        seen.add(root);
        while (!stack.isEmpty()) {
            Object[] top = stack.get(stack.size() - 1);
            Tensor t = (Tensor) top[0];
            int i = (Integer) top[1];
            if (i < t.parents.length) {
                top[1] = i + 1;
                Tensor p = t.parents[i];
                if (p.needsGrad() && seen.add(p)) stack.add(new Object[]{p, 0});
            } else {
                stack.remove(stack.size() - 1);
                out.add(t);
            }
        }
    }

    boolean needsGrad() {
        return requiresGrad || backwardStep != null;
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}

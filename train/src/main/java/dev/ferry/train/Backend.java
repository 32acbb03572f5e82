package dev.ferry.train;

/**
 * The numeric kernels that training needs, on row-major float32 buffers. {@link Tensor} and {@link Ops} build
 * autodiff on top of these; {@link CpuBackend} is the reference and {@link CudaBackend} runs the same kernels
 * from PTX on a GPU. Backward kernels accumulate ({@code +=}) into their gradient outputs.
 */
public interface Backend extends AutoCloseable {

    String name();

    /**
     * {@code C[m,n] (+)= op(A)[m,k] · op(B)[k,n]} where {@code op(X)} is X or its transpose. Leading dimensions
     * (row strides, in floats) describe each buffer as stored: A is {@code m×k} (or {@code k×m} when
     * {@code transA}), B is {@code k×n} (or {@code n×k} when {@code transB}).
     */
    void gemm(boolean transA, boolean transB, int m, int n, int k,
              float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc, boolean accumulate);

    /**
     * Row softmax. With {@code causalT > 0}, row {@code r} only sees columns {@code ≤ r % causalT} (the rest
     * get probability 0), the mask of causal self-attention.
     */
    void softmaxForward(float[] x, float[] y, int rows, int cols, int causalT);

    /** {@code dx += y ⊙ (dy − rowsum(dy ⊙ y))}. */
    void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols);

    /** Layer norm over the last dimension; {@code mean} and {@code rstd} (one per row) are saved for backward. */
    void layerNormForward(float[] x, float[] gamma, float[] beta, float[] y, float[] mean, float[] rstd,
                          int rows, int cols);

    void layerNormBackward(float[] x, float[] gamma, float[] mean, float[] rstd, float[] dy,
                           float[] dx, float[] dgamma, float[] dbeta, int rows, int cols);

    /** GELU, tanh approximation. */
    void geluForward(float[] x, float[] y, int n);

    void geluBackward(float[] x, float[] dy, float[] dx, int n);

    /**
     * Mean cross-entropy of {@code rows} logit rows against integer targets; {@code probs} receives the row
     * softmax for backward. Returns the mean loss.
     */
    float crossEntropyForward(float[] logits, int[] targets, float[] probs, int rows, int vocab);

    /** {@code dlogits += scale · (probs − onehot(targets)) / rows}. */
    void crossEntropyBackward(float[] probs, int[] targets, float[] dlogits, int rows, int vocab, float scale);

    /** One AdamW update of {@code n} parameters (decoupled weight decay), {@code step} counted from 1. */
    void adamw(float[] param, float[] grad, float[] m, float[] v, int n,
               float lr, float beta1, float beta2, float eps, float weightDecay, int step);

    /** Sum of squares of {@code x[0..n)}, accumulated in double. */
    double sumSquares(float[] x, int n);

    @Override
    default void close() {}
}

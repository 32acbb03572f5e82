// Kernels of dev.ferry.train.CudaBackend: the same math as CpuBackend, float32, row-major.
// extern "C" only (the names are looked up from Java). Built to PTX by build-ptx.sh; the PTX is committed.

#define TILE 16

extern "C" __global__ void gemm(int transA, int transB, int m, int n, int k,
                                const float* a, int lda, const float* b, int ldb,
                                float* c, int ldc, int accumulate) {
    __shared__ float as[TILE][TILE + 1];
    __shared__ float bs[TILE][TILE + 1];
    int row = blockIdx.y * TILE + threadIdx.y, col = blockIdx.x * TILE + threadIdx.x;
    float acc = 0.f;
    for (int t = 0; t < k; t += TILE) {
        int ak = t + threadIdx.x, bk = t + threadIdx.y;
        as[threadIdx.y][threadIdx.x] = (row < m && ak < k) ? (transA ? a[ak * lda + row] : a[row * lda + ak]) : 0.f;
        bs[threadIdx.y][threadIdx.x] = (col < n && bk < k) ? (transB ? b[col * ldb + bk] : b[bk * ldb + col]) : 0.f;
        __syncthreads();
#pragma unroll
        for (int p = 0; p < TILE; p++) acc += as[threadIdx.y][p] * bs[p][threadIdx.x];
        __syncthreads();
    }
    if (row < m && col < n) {
        float* out = c + row * ldc + col;
        *out = accumulate ? *out + acc : acc;
    }
}

__device__ float block_reduce_sum(float v, float* shared) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    int warps = (blockDim.x + 31) >> 5;
    v = threadIdx.x < warps ? shared[threadIdx.x] : 0.f;
    if (warp == 0) for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffff, v, o);
    if (threadIdx.x == 0) shared[0] = v;
    __syncthreads();
    v = shared[0];
    __syncthreads();
    return v;
}

__device__ float block_reduce_max(float v, float* shared) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffff, v, o));
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    if (lane == 0) shared[warp] = v;
    __syncthreads();
    int warps = (blockDim.x + 31) >> 5;
    v = threadIdx.x < warps ? shared[threadIdx.x] : -INFINITY;
    if (warp == 0) for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffff, v, o));
    if (threadIdx.x == 0) shared[0] = v;
    __syncthreads();
    v = shared[0];
    __syncthreads();
    return v;
}

// one block per row; causalT > 0 masks columns after row % causalT
extern "C" __global__ void softmax_forward(const float* x, float* y, int rows, int cols, int causalT) {
    __shared__ float sh[32];
    int r = blockIdx.x;
    if (r >= rows) return;
    const float* xr = x + (size_t) r * cols;
    float* yr = y + (size_t) r * cols;
    int valid = causalT > 0 ? min(cols, r % causalT + 1) : cols;
    float mx = -INFINITY;
    for (int j = threadIdx.x; j < valid; j += blockDim.x) mx = fmaxf(mx, xr[j]);
    mx = block_reduce_max(mx, sh);
    float s = 0.f;
    for (int j = threadIdx.x; j < valid; j += blockDim.x) s += __expf(xr[j] - mx);
    s = block_reduce_sum(s, sh);
    float inv = 1.f / s;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) yr[j] = j < valid ? __expf(xr[j] - mx) * inv : 0.f;
}

extern "C" __global__ void softmax_backward(const float* y, const float* dy, float* dx, int rows, int cols) {
    __shared__ float sh[32];
    int r = blockIdx.x;
    if (r >= rows) return;
    size_t o = (size_t) r * cols;
    float d = 0.f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) d += dy[o + j] * y[o + j];
    d = block_reduce_sum(d, sh);
    for (int j = threadIdx.x; j < cols; j += blockDim.x) dx[o + j] += y[o + j] * (dy[o + j] - d);
}

extern "C" __global__ void layernorm_forward(const float* x, const float* gamma, const float* beta, float* y,
                                             float* mean, float* rstd, int rows, int cols) {
    __shared__ float sh[32];
    int r = blockIdx.x;
    if (r >= rows) return;
    size_t o = (size_t) r * cols;
    float s = 0.f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) s += x[o + j];
    float mu = block_reduce_sum(s, sh) / cols;
    float v = 0.f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) { float d = x[o + j] - mu; v += d * d; }
    float rs = rsqrtf(block_reduce_sum(v, sh) / cols + 1e-5f);
    if (threadIdx.x == 0) { mean[r] = mu; rstd[r] = rs; }
    for (int j = threadIdx.x; j < cols; j += blockDim.x) y[o + j] = (x[o + j] - mu) * rs * gamma[j] + beta[j];
}

extern "C" __global__ void layernorm_backward(const float* x, const float* gamma, const float* mean,
                                              const float* rstd, const float* dy, float* dx, float* dgamma,
                                              float* dbeta, int rows, int cols) {
    __shared__ float sh[32];
    int r = blockIdx.x;
    if (r >= rows) return;
    size_t o = (size_t) r * cols;
    float mu = mean[r], rs = rstd[r], sg = 0.f, sgx = 0.f;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float g = dy[o + j] * gamma[j], xh = (x[o + j] - mu) * rs;
        sg += g;
        sgx += g * xh;
        atomicAdd(&dgamma[j], dy[o + j] * xh);
        atomicAdd(&dbeta[j], dy[o + j]);
    }
    float mg = block_reduce_sum(sg, sh) / cols, mgx = block_reduce_sum(sgx, sh) / cols;
    for (int j = threadIdx.x; j < cols; j += blockDim.x) {
        float xh = (x[o + j] - mu) * rs;
        dx[o + j] += rs * (dy[o + j] * gamma[j] - mg - xh * mgx);
    }
}

#define GELU_C 0.7978845608f

extern "C" __global__ void gelu_forward(const float* x, float* y, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) { float v = x[i]; y[i] = 0.5f * v * (1.f + tanhf(GELU_C * (v + 0.044715f * v * v * v))); }
}

extern "C" __global__ void gelu_backward(const float* x, const float* dy, float* dx, int n) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float v = x[i], t = tanhf(GELU_C * (v + 0.044715f * v * v * v));
        float du = GELU_C * (1.f + 3.f * 0.044715f * v * v);
        dx[i] += dy[i] * (0.5f * (1.f + t) + 0.5f * v * (1.f - t * t) * du);
    }
}

// probs must already hold the row softmax; writes one loss per row
extern "C" __global__ void cross_entropy_forward(const float* probs, const int* targets, float* losses,
                                                 int rows, int vocab) {
    int r = blockIdx.x * blockDim.x + threadIdx.x;
    if (r < rows) losses[r] = -logf(fmaxf(probs[(size_t) r * vocab + targets[r]], 1e-30f));
}

extern "C" __global__ void cross_entropy_backward(const float* probs, const int* targets, float* dlogits,
                                                  int rows, int vocab, float scale) {
    size_t i = (size_t) blockIdx.x * blockDim.x + threadIdx.x;
    if (i < (size_t) rows * vocab) {
        int r = i / vocab, j = i % vocab;
        float s = scale / rows;
        dlogits[i] += s * (probs[i] - (j == targets[r] ? 1.f : 0.f));
    }
}

extern "C" __global__ void adamw(float* p, const float* g, float* m, float* v, int n, float lr, float beta1,
                                 float beta2, float eps, float wd, float bc1, float bc2) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        float gi = g[i];
        m[i] = beta1 * m[i] + (1.f - beta1) * gi;
        v[i] = beta2 * v[i] + (1.f - beta2) * gi * gi;
        p[i] -= lr * ((m[i] / bc1) / (sqrtf(v[i] / bc2) + eps) + wd * p[i]);
    }
}

// grid-stride partial sums of squares, one atomicAdd per block into *out
extern "C" __global__ void sum_squares(const float* x, int n, float* out) {
    __shared__ float sh[32];
    float s = 0.f;
    for (int i = blockIdx.x * blockDim.x + threadIdx.x; i < n; i += gridDim.x * blockDim.x) s += x[i] * x[i];
    s = block_reduce_sum(s, sh);
    if (threadIdx.x == 0) atomicAdd(out, s);
}

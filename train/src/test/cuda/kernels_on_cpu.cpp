// Checks every kernel of ferry_train.cu, run through cuda_cpu_shim.h, against plain loops on odd sizes.
// Prints one line per kernel and exits 1 when any differs. Built and run by KernelsOnCpuTest.
#include "cuda_cpu_shim.h"
#include "../../main/cuda/ferry_train.cu"
#include <cstdio>
#include <random>

static int failures = 0;
static std::mt19937 rng(7);
static std::vector<float> randv(size_t n) {
    std::normal_distribution<float> d;
    std::vector<float> v(n);
    for (auto& x : v) x = d(rng);
    return v;
}
static void expect(const char* what, const std::vector<float>& want, const std::vector<float>& got, float tol) {
    float worst = 0;
    for (size_t i = 0; i < want.size(); i++) worst = std::max(worst, std::fabs(want[i] - got[i]) / std::max(1.f, std::fabs(want[i])));
    bool ok = worst <= tol;
    failures += !ok;
    std::printf("%s %s max rel err %.2e\n", ok ? "PASS" : "FAIL", what, worst);
}
static int rt(int cols) { int t = 32; while (t < cols && t < 256) t <<= 1; return t; }

int main() {
    // gemm, all transposes, odd sizes, accumulate
    int m = 37, n = 29, k = 23;
    for (int ta = 0; ta < 2; ta++) for (int tb = 0; tb < 2; tb++) {
        auto a = randv(m * k), b = randv(k * n), c = randv(m * n), want = c;
        for (int i = 0; i < m; i++) for (int j = 0; j < n; j++) {
            double s = 0;
            for (int p = 0; p < k; p++) s += (ta ? a[p * m + i] : a[i * k + p]) * (tb ? b[j * k + p] : b[p * n + j]);
            want[i * n + j] += (float) s;
        }
        launch(gemm, (n + 15) / 16, (m + 15) / 16, 16, 16, ta, tb, m, n, k, (const float*) a.data(), ta ? m : k,
               (const float*) b.data(), tb ? k : n, c.data(), n, 1);
        char name[64];
        std::snprintf(name, sizeof name, "gemm ta=%d tb=%d (accumulate)", ta, tb);
        expect(name, want, c, 1e-4f);
    }
    // softmax with a causal mask (T = 7), and without one on rows wider than the block (T = 0, 300 columns)
    int rows = 11, cols = 45, T = 7;
    std::vector<float> x, y, want, dy, dx, wdx;
    for (int pass = 0; pass < 2; pass++, cols = 300, T = 0) {
    x = randv(rows * cols); y = x; want = x; dy = randv(rows * cols); dx = randv(rows * cols); wdx = dx;
    for (int r = 0; r < rows; r++) {
        int valid = T ? std::min(cols, r % T + 1) : cols;
        float mx = -INFINITY; double s = 0;
        for (int j = 0; j < valid; j++) mx = std::max(mx, x[r * cols + j]);
        for (int j = 0; j < valid; j++) s += std::exp(x[r * cols + j] - mx);
        for (int j = 0; j < cols; j++) want[r * cols + j] = j < valid ? (float) (std::exp(x[r * cols + j] - mx) / s) : 0.f;
    }
    launch(softmax_forward, rows, 1, rt(cols), 1, (const float*) x.data(), y.data(), rows, cols, T);
    expect(T ? "softmax_forward causal" : "softmax_forward", want, y, 1e-5f);
    for (int r = 0; r < rows; r++) {
        double d = 0;
        for (int j = 0; j < cols; j++) d += dy[r * cols + j] * want[r * cols + j];
        for (int j = 0; j < cols; j++) wdx[r * cols + j] += want[r * cols + j] * (dy[r * cols + j] - (float) d);
    }
    launch(softmax_backward, rows, 1, rt(cols), 1, (const float*) want.data(), (const float*) dy.data(), dx.data(), rows, cols);
    expect(T ? "softmax_backward causal" : "softmax_backward", wdx, dx, 1e-5f);
    }
    // layer norm forward and backward (cols > block threads: 300 with 256 threads)
    cols = 300;
    x = randv(rows * cols); auto g = randv(cols), be = randv(cols);
    std::vector<float> ly(rows * cols), mean(rows), rstd(rows), wly(rows * cols), wmean(rows), wrstd(rows);
    for (int r = 0; r < rows; r++) {
        double s = 0, v = 0;
        for (int j = 0; j < cols; j++) s += x[r * cols + j];
        float mu = s / cols;
        for (int j = 0; j < cols; j++) v += (x[r * cols + j] - mu) * (x[r * cols + j] - mu);
        float rs = 1 / std::sqrt(v / cols + 1e-5);
        wmean[r] = mu; wrstd[r] = rs;
        for (int j = 0; j < cols; j++) wly[r * cols + j] = (x[r * cols + j] - mu) * rs * g[j] + be[j];
    }
    launch(layernorm_forward, rows, 1, rt(cols), 1, (const float*) x.data(), (const float*) g.data(), (const float*) be.data(),
           ly.data(), mean.data(), rstd.data(), rows, cols);
    expect("layernorm_forward", wly, ly, 1e-4f);
    expect("layernorm_forward rstd", wrstd, rstd, 1e-4f);
    dy = randv(rows * cols);
    std::vector<float> ldx(rows * cols), dg(cols), db(cols), wldx(rows * cols), wdg(cols), wdb(cols);
    for (int r = 0; r < rows; r++) {
        double sg = 0, sgx = 0;
        for (int j = 0; j < cols; j++) {
            float xh = (x[r * cols + j] - wmean[r]) * wrstd[r], gg = dy[r * cols + j] * g[j];
            sg += gg; sgx += gg * xh; wdg[j] += dy[r * cols + j] * xh; wdb[j] += dy[r * cols + j];
        }
        for (int j = 0; j < cols; j++) {
            float xh = (x[r * cols + j] - wmean[r]) * wrstd[r];
            wldx[r * cols + j] = wrstd[r] * (dy[r * cols + j] * g[j] - (float) (sg / cols) - xh * (float) (sgx / cols));
        }
    }
    launch(layernorm_backward, rows, 1, rt(cols), 1, (const float*) x.data(), (const float*) g.data(), (const float*) wmean.data(),
           (const float*) wrstd.data(), (const float*) dy.data(), ldx.data(), dg.data(), db.data(), rows, cols);
    expect("layernorm_backward dx", wldx, ldx, 1e-4f);
    expect("layernorm_backward dgamma", wdg, dg, 1e-4f);
    expect("layernorm_backward dbeta", wdb, db, 1e-4f);
    // GELU
    int N = 1001;
    x = randv(N); std::vector<float> gy(N), wgy(N), gdx(N), wgdx(N); dy = randv(N);
    for (int i = 0; i < N; i++) {
        float v = x[i], t = std::tanh(0.7978845608f * (v + 0.044715f * v * v * v));
        wgy[i] = 0.5f * v * (1 + t);
        wgdx[i] = dy[i] * (0.5f * (1 + t) + 0.5f * v * (1 - t * t) * 0.7978845608f * (1 + 3 * 0.044715f * v * v));
    }
    launch(gelu_forward, (N + 255) / 256, 1, 256, 1, (const float*) x.data(), gy.data(), N);
    launch(gelu_backward, (N + 255) / 256, 1, 256, 1, (const float*) x.data(), (const float*) dy.data(), gdx.data(), N);
    expect("gelu_forward", wgy, gy, 1e-5f);
    expect("gelu_backward", wgdx, gdx, 1e-5f);
    // cross-entropy on softmax probabilities
    int V = 97; rows = 13;
    auto logits = randv(rows * V); std::vector<float> probs(rows * V), losses(rows), wl(rows), dl(rows * V), wdl(rows * V);
    std::vector<int> tg(rows);
    for (int r = 0; r < rows; r++) tg[r] = (r * 31) % V;
    launch(softmax_forward, rows, 1, rt(V), 1, (const float*) logits.data(), probs.data(), rows, V, 0);
    launch(cross_entropy_forward, 1, 1, 256, 1, (const float*) probs.data(), (const int*) tg.data(), losses.data(), rows, V);
    for (int r = 0; r < rows; r++) {
        float mx = -INFINITY; double s = 0;
        for (int j = 0; j < V; j++) mx = std::max(mx, logits[r * V + j]);
        for (int j = 0; j < V; j++) s += std::exp(logits[r * V + j] - mx);
        wl[r] = (float) (std::log(s) + mx - logits[r * V + tg[r]]);
        for (int j = 0; j < V; j++) wdl[r * V + j] = 0.5f / rows * (probs[r * V + j] - (j == tg[r]));
    }
    expect("cross_entropy_forward", wl, losses, 1e-4f);
    launch(cross_entropy_backward, (rows * V + 255) / 256, 1, 256, 1, (const float*) probs.data(), (const int*) tg.data(), dl.data(), rows, V, 0.5f);
    expect("cross_entropy_backward", wdl, dl, 1e-6f);
    // AdamW, step 3
    N = 777;
    auto p = randv(N), gr = randv(N), mm = randv(N), vv = randv(N);
    for (auto& q : vv) q = std::fabs(q);
    auto wp = p, wm = mm, wv = vv;
    float lr = 1e-2f, b1 = 0.9f, b2 = 0.95f, eps = 1e-8f, wd = 0.1f, bc1 = 1 - std::pow(b1, 3), bc2 = 1 - std::pow(b2, 3);
    for (int i = 0; i < N; i++) {
        wm[i] = b1 * wm[i] + (1 - b1) * gr[i];
        wv[i] = b2 * wv[i] + (1 - b2) * gr[i] * gr[i];
        wp[i] -= lr * ((wm[i] / bc1) / (std::sqrt(wv[i] / bc2) + eps) + wd * wp[i]);
    }
    launch(adamw, (N + 255) / 256, 1, 256, 1, p.data(), (const float*) gr.data(), mm.data(), vv.data(), N, lr, b1, b2, eps, wd, bc1, bc2);
    expect("adamw param", wp, p, 1e-5f);
    expect("adamw moments", wv, vv, 1e-5f);
    // sum of squares, a grid-stride reduction over more elements than threads
    N = 5003;
    x = randv(N);
    double s = 0;
    for (float q : x) s += q * q;
    std::vector<float> out(1, 0.f), ws(1, (float) s);
    launch(sum_squares, 3, 1, 256, 1, (const float*) x.data(), N, out.data());
    expect("sum_squares", ws, out, 1e-4f);
    std::printf("%d failed\n", failures);
    return failures ? 1 : 0;
}

// Runs CUDA C kernels on CPU threads, so their indexing, bounds and reductions can be checked without a GPU
// (GPU.md §5.5). One block at a time: each thread of the block is a std::thread, __syncthreads is a block-wide
// std::barrier, __shfl_xor_sync exchanges through a per-warp array between two per-warp barriers, and
// __shared__ variables are function statics (shared by the block that is running).
#pragma once
#include <algorithm>
#include <barrier>
#include <cmath>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

struct uint3_ { unsigned x = 0, y = 0, z = 0; };
inline thread_local uint3_ threadIdx;
inline uint3_ blockIdx, blockDim, gridDim;
inline std::barrier<>* g_block_barrier = nullptr;
inline std::vector<std::unique_ptr<std::barrier<>>> g_warp_barriers;
inline std::vector<float> g_warp_vals;
inline std::mutex g_atomic_mutex;

#define __global__
#define __device__
#define __shared__ static

inline void __syncthreads() { g_block_barrier->arrive_and_wait(); }

inline float __shfl_xor_sync(unsigned, float v, int lane_mask) {
    unsigned t = threadIdx.y * blockDim.x + threadIdx.x, w = t / 32, l = t % 32;
    g_warp_vals[t] = v;
    g_warp_barriers[w]->arrive_and_wait();
    float r = g_warp_vals[w * 32 + (l ^ lane_mask)];
    g_warp_barriers[w]->arrive_and_wait();
    return r;
}

inline float atomicAdd(float* p, float v) {
    std::lock_guard<std::mutex> g(g_atomic_mutex);
    float old = *p;
    *p = old + v;
    return old;
}

inline float __expf(float x) { return std::exp(x); }
inline float rsqrtf(float x) { return 1.f / std::sqrt(x); }
inline int min(int a, int b) { return a < b ? a : b; }

template <typename K, typename... A>
void launch(K kernel, unsigned gx, unsigned gy, unsigned bx, unsigned by, A... args) {
    unsigned n = bx * by;
    gridDim = {gx, gy, 1};
    blockDim = {bx, by, 1};
    for (unsigned y = 0; y < gy; y++) {
        for (unsigned x = 0; x < gx; x++) {
            blockIdx = {x, y, 0};
            std::barrier<> block(n);
            g_block_barrier = &block;
            g_warp_barriers.clear();
            for (unsigned w = 0; w < (n + 31) / 32; w++) {
                g_warp_barriers.push_back(std::make_unique<std::barrier<>>(std::min(32u, n - w * 32)));
            }
            g_warp_vals.assign(((n + 31) / 32) * 32, 0.f);
            std::vector<std::thread> ts;
            for (unsigned t = 0; t < n; t++) {
                ts.emplace_back([=] {
                    threadIdx = {t % bx, t / bx, 0};
                    kernel(args...);
                });
            }
            for (auto& t : ts) t.join();
        }
    }
}

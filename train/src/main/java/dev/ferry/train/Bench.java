package dev.ferry.train;

import java.util.Locale;
import java.util.Random;

/**
 * {@code install/bench.sh train}: CPU matmul GFLOP/s of {@link CpuBackend} (1 thread and all cores) against
 * a naive i-j-k triple loop, beside the machine's measured peak (a register-resident multiply-add loop with
 * 8 independent chains per thread, all cores), and training tokens/s of the XS char GPT.
 */
public final class Bench {

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 384;
        int cores = Runtime.getRuntime().availableProcessors();
        Random r = new Random(1);
        float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
            b[i] = (float) r.nextGaussian();
        }
        double flop = 2.0 * n * n * n;
        double naive = best(3, () -> naive(a, b, c, n));
        double one, all;
        try (CpuBackend be = new CpuBackend(1)) {
            one = best(5, () -> be.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false));
        }
        try (CpuBackend be = new CpuBackend(cores)) {
            all = best(5, () -> be.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false));
        }
        double peak = peak(cores);
        System.out.println("| measure | value | ratio |");
        System.out.println("|---|---|---|");
        row("naive i-j-k triple loop, " + n + "^3, 1 thread", flop / naive / 1e9, "1.0x");
        row("CpuBackend.gemm " + n + "^3, 1 thread", flop / one / 1e9, fmt(naive / one) + "x naive");
        row("CpuBackend.gemm " + n + "^3, " + cores + " threads", flop / all / 1e9,
                fmt(naive / all) + "x naive, " + fmt(100 * (flop / all / 1e9) / peak) + "% of peak");
        row("measured peak (scalar FMA chains, " + cores + " threads)", peak, "-");

        GptConfig cfg = GptConfig.xs(CharTokenizer.VOCAB);
        int[] text = new CharTokenizer().encode(Fortunes.load().all());
        try (CpuBackend be = new CpuBackend(cores)) {
            Gpt model = new Gpt(cfg, 1);
            Trainer t = new Trainer(be, model, new AdamW(model.parameters(), 1e-3f, 0.01f),
                    new Batches(text, 8, cfg.context(), 1));
            for (int i = 0; i < 3; i++) t.trainStep();
            int steps = 10;
            long t0 = System.nanoTime();
            for (int i = 0; i < steps; i++) t.trainStep();
            double s = (System.nanoTime() - t0) / 1e9;
            double tokens = steps * 8.0 * cfg.context();
            double flopPerToken = 6.0 * model.parameterCount() + 12.0 * cfg.layers() * cfg.context() * cfg.dim();
            row("train XS (" + model.parameterCount() + " params, batch 8x" + cfg.context() + "), tokens/s",
                    tokens / s, fmt(tokens / s * flopPerToken / 1e9) + " GFLOP/s model");
        }
    }

    static void row(String what, double v, String ratio) {
        System.out.println("| " + what + " | " + fmt(v) + " | " + ratio + " |");
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, v >= 100 ? "%.0f" : "%.2f", v);
    }

    static double best(int reps, Runnable r) {
        r.run();
        double best = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }

    static void naive(float[] a, float[] b, float[] c, int n) {
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                float s = 0;
                for (int k = 0; k < n; k++) s += a[i * n + k] * b[k * n + j];
                c[i * n + j] = s;
            }
        }
    }

    static volatile float sink;

    /** GFLOP/s of 8 independent multiply-add chains per thread on all cores: what scalar Java code can reach. */
    static double peak(int threads) {
        long iters = 50_000_000L;
        Runnable body = () -> {
            float x0 = 1, x1 = 1, x2 = 1, x3 = 1, x4 = 1, x5 = 1, x6 = 1, x7 = 1, m = 0.999999f, d = 1e-7f;
            for (long i = 0; i < iters; i++) {
                x0 = x0 * m + d; x1 = x1 * m + d; x2 = x2 * m + d; x3 = x3 * m + d;
                x4 = x4 * m + d; x5 = x5 * m + d; x6 = x6 * m + d; x7 = x7 * m + d;
            }
            sink = x0 + x1 + x2 + x3 + x4 + x5 + x6 + x7;
        };
        body.run();
        double s = best(2, () -> {
            Thread[] ts = new Thread[threads];
            for (int i = 0; i < threads; i++) (ts[i] = new Thread(body)).start();
            for (Thread t : ts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        return threads * iters * 16.0 / s / 1e9;
    }
}

package dev.ferry.train;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

/**
 * The train part of the GPU check (issue 15): opens the CUDA backend, checks each kernel against the CPU on
 * odd sizes, times a gemm with CUDA events, matches one training step between CPU and GPU, trains for a few
 * seconds with tokens/s, and checks a checkpoint round trip. Ends with "N passed, M failed"; exit 0 when all
 * passed, 1 when one failed, 3 when no GPU opened (the reason is printed).
 * <pre>java -cp train/target/classes:jcuda jars dev.ferry.train.TrainGpuCheck [seconds of training]</pre>
 */
public final class TrainGpuCheck {

    private static int passed, failed;

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        CudaBackend gpu;
        try {
            gpu = CudaBackend.open();
        } catch (CudaBackend.GpuUnavailable | LinkageError e) {
            System.out.println("no GPU: " + e.getMessage());
            System.out.println("0 passed, 0 failed (nothing to check without a GPU)");
            System.exit(3);
            return;
        }
        try (gpu; CpuBackend cpu = new CpuBackend()) {
            long[] mem = gpu.memInfo();
            System.out.printf(Locale.ROOT, "device: %s, %.1f of %.1f GiB free%n", gpu.name(), mem[0] / 1073741824.0,
                    mem[1] / 1073741824.0);
            parity(cpu, gpu);
            int n = 2048;
            float[] a = new float[n * n], b = new float[n * n], c = new float[n * n];
            java.util.Arrays.fill(a, 0.5f);
            java.util.Arrays.fill(b, 0.25f);
            gpu.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false);
            float ms = gpu.time(() -> gpu.gemm(false, false, n, n, n, a, 0, n, b, 0, n, c, 0, n, false));
            System.out.printf(Locale.ROOT, "gemm %d^3: %.2f ms, %.3f TFLOP/s (including host<->device copies)%n",
                    n, ms, 2.0 * n * n * n / (ms / 1e3) / 1e12);
            check("gemm 2048^3 value", Math.abs(c[12345] - n * 0.125f) < 1e-2f, "c = " + c[12345]);

            GptConfig cfg = GptConfig.xs(CharTokenizer.VOCAB);
            int[] text = new CharTokenizer().encode(Fortunes.load().all());
            Batches data = new Batches(text, 8, cfg.context(), 1);
            float[] lc = step(cpu, cfg, data), lg = step(gpu, cfg, data);
            check("one training step CPU vs GPU", Math.abs(lc[0] - lg[0]) < 1e-3f && Math.abs(lc[1] - lg[1]) < 1e-3f,
                    String.format(Locale.ROOT, "loss %.6f vs %.6f, next %.6f vs %.6f", lc[0], lg[0], lc[1], lg[1]));

            Gpt model = new Gpt(cfg, 5);
            Trainer t = new Trainer(gpu, model, new AdamW(model.parameters(), 3e-3f, 0.01f), data);
            long end = System.nanoTime() + seconds * 1_000_000_000L, t0 = System.nanoTime();
            float first = t.trainStep(), last = first;
            while (System.nanoTime() < end) last = t.trainStep();
            double s = (System.nanoTime() - t0) / 1e9;
            System.out.printf(Locale.ROOT, "train XS %d s: %d steps, %.0f tokens/s, loss %.3f -> %.3f%n", seconds,
                    t.step(), t.step() * 8.0 * cfg.context() / s, first, last);
            check("training lowers the loss", last < first - 0.5f, first + " -> " + last);

            Path ck = Files.createTempDirectory("train-gpu-check").resolve("last.ckpt");
            Checkpoint.save(ck, model, t.optimizer());
            Gpt back = new Gpt(cfg, 0);
            check("checkpoint round trip", Checkpoint.load(ck, back, new AdamW(back.parameters(), 1e-3f, 0f)) == t.step()
                    && java.util.Arrays.equals(back.parameters().get(0).data(), model.parameters().get(0).data()), ck.toString());
        }
        System.out.println(passed + " passed, " + failed + " failed");
        System.exit(failed == 0 ? 0 : 1);
    }

    /** Loss of step 1 and of step 2 (after one AdamW update) from the same init and batches. */
    private static float[] step(Backend be, GptConfig cfg, Batches data) {
        Gpt m = new Gpt(cfg, 3);
        Trainer t = new Trainer(be, m, new AdamW(m.parameters(), 1e-3f, 0.01f), data);
        return new float[]{t.trainStep(), t.trainStep()};
    }

    private static void parity(Backend cpu, Backend gpu) {
        Random r = new Random(1);
        int m = 257, n = 129, k = 65;
        float[] a = rand(r, m * k), b = rand(r, k * n);
        for (boolean ta : new boolean[]{false, true}) {
            for (boolean tb : new boolean[]{false, true}) {
                float[] want = new float[m * n], got = new float[m * n];
                cpu.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, want, 0, n, false);
                gpu.gemm(ta, tb, m, n, k, a, 0, ta ? m : k, b, 0, tb ? k : n, got, 0, n, false);
                close("gemm 257x129x65 ta=" + ta + " tb=" + tb, want, got, 1e-3f);
            }
        }
        float[] x = rand(r, 37 * 301), y1 = new float[x.length], y2 = new float[x.length];
        cpu.softmaxForward(x, y1, 37, 301, 13);
        gpu.softmaxForward(x, y2, 37, 301, 13);
        close("softmax 37x301 causal", y1, y2, 1e-5f);
        float[] g = rand(r, 301), be = rand(r, 301), mu = new float[37], rs = new float[37];
        cpu.layerNormForward(x, g, be, y1, mu, rs, 37, 301);
        gpu.layerNormForward(x, g, be, y2, mu, rs, 37, 301);
        close("layernorm 37x301", y1, y2, 1e-4f);
        cpu.geluForward(x, y1, x.length);
        gpu.geluForward(x, y2, x.length);
        close("gelu 11137", y1, y2, 1e-5f);
        int[] t = new int[37];
        for (int i = 0; i < t.length; i++) t[i] = r.nextInt(301);
        float lc = cpu.crossEntropyForward(x, t, y1, 37, 301), lg = gpu.crossEntropyForward(x, t, y2, 37, 301);
        check("cross-entropy 37x301", Math.abs(lc - lg) < 1e-4f, lc + " vs " + lg);
    }

    private static float[] rand(Random r, int n) {
        float[] d = new float[n];
        for (int i = 0; i < n; i++) d[i] = (float) r.nextGaussian();
        return d;
    }

    private static void close(String what, float[] want, float[] got, float tol) {
        double worst = 0;
        for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]) / Math.max(1, Math.abs(want[i])));
        check(what, worst <= tol, String.format(Locale.ROOT, "max rel err %.2e", worst));
    }

    private static void check(String what, boolean ok, String detail) {
        if (ok) passed++;
        else failed++;
        System.out.println((ok ? "PASS " : "FAIL ") + what + ": " + detail);
    }
}

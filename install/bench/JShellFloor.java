import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import jdk.jshell.JShell;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;

/**
 * The floor for install/bench.sh: raw in-process JShell, the engine Ferry's worker uses
 * (executionEngine("local")), with no kernel, no worker protocol and no ZeroMQ in between.
 *
 * <pre>java install/bench/JShellFloor.java [--warmup N] [--iters N] [--long-warmup N] [--code SRC]</pre>
 *
 * Prints "key value" lines (times in ms): JShell build, first eval, then p50/p95/mean of eval(code) after
 * N warm-up evals and the process CPU time per measured eval; the same for analyzeCompletion(code) + eval (what Ferry's worker does per cell); and,
 * with --long-warmup N > 0, eval again after N more evals (a JIT-warm JShell).
 */
public final class JShellFloor {
    public static void main(String[] args) {
        int warmup = 20, iters = 100, longWarmup = 0;
        String src = "1+1";
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--warmup" -> warmup = Integer.parseInt(args[++i]);
                case "--iters" -> iters = Integer.parseInt(args[++i]);
                case "--long-warmup" -> longWarmup = Integer.parseInt(args[++i]);
                case "--code" -> src = args[++i];
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        final String code = src;
        long t0 = System.nanoTime();
        JShell shell = JShell.builder().executionEngine("local").build();
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        long t1 = System.nanoTime();
        check(shell.eval(code), code);
        long t2 = System.nanoTime();
        out("java_version", Runtime.version().toString());
        out("build_ms", ms(t1 - t0));
        out("first_eval_ms", ms(t2 - t1));

        // the figure the kernel is compared with: eval alone, same counts as the kernel run
        for (int i = 0; i < warmup; i++) {
            check(shell.eval(code), code);
        }
        long cpu0 = processCpuNanos();
        report("eval", measure(iters, () -> check(shell.eval(code), code)));
        out("eval_cpu_ms", ms(processCpuNanos() - cpu0) / iters);

        // what the worker does per cell: split the cell with analyzeCompletion, then eval the piece
        report("split_eval", measure(iters, () -> {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(code);
            check(shell.eval(info.source()), code);
        }));

        if (longWarmup > 0) {
            for (int i = 0; i < longWarmup; i++) {
                check(shell.eval(code), code);
            }
            report("eval_jit_warm", measure(iters, () -> check(shell.eval(code), code)));
        }
        shell.close();
    }

    /** CPU time of this whole JVM (all threads, JIT and GC included), or 0 where it cannot be read. */
    private static long processCpuNanos() {
        if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                instanceof com.sun.management.OperatingSystemMXBean os) {
            return Math.max(0, os.getProcessCpuTime());
        }
        return 0;
    }

    private static double[] measure(int n, Runnable r) {
        double[] t = new double[n];
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            r.run();
            t[i] = ms(System.nanoTime() - s);
        }
        return t;
    }

    private static void report(String name, double[] t) {
        double[] s = t.clone();
        Arrays.sort(s);
        out(name + "_p50_ms", pct(s, 50));
        out(name + "_p95_ms", pct(s, 95));
        out(name + "_mean_ms", Arrays.stream(s).average().orElse(Double.NaN));
        StringBuilder all = new StringBuilder();
        for (double v : t) {
            all.append(all.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.3f", v));
        }
        out(name + "_samples_ms", all.toString());
    }

    /** Nearest-rank percentile of sorted values (the same rule as bench.sh's Python side). */
    static double pct(double[] sorted, double p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    private static void check(List<SnippetEvent> events, String code) {
        for (SnippetEvent e : events) {
            if (e.exception() != null || e.status() == jdk.jshell.Snippet.Status.REJECTED) {
                throw new IllegalStateException("JShell could not run '" + code + "': " + e);
            }
        }
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static void out(String key, Object value) {
        System.out.println(key + " " + (value instanceof Double d ? String.format(Locale.ROOT, "%.3f", d) : value));
    }
}

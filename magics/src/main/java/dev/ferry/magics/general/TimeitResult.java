package dev.ferry.magics.general;

import java.util.Locale;

/** What {@code %timeit -o} returns: the loops, runs and the time per loop of each run (seconds). */
public final class TimeitResult {
    private static volatile Object sink;

    /** Keeps a value alive so the JIT cannot remove the code that made it (called by the compiled loop). */
    public static void consume(Object value) {
        if (value != null && value.hashCode() == System.identityHashCode(TimeitResult.class)) {
            sink = value;
        }
    }

    private final long loops;
    private final int repeat;
    private final double[] timings;

    TimeitResult(long loops, int repeat, double[] timings) {
        this.loops = loops;
        this.repeat = repeat;
        this.timings = timings.clone();
    }

    public long loops() {
        return loops;
    }

    public int repeat() {
        return repeat;
    }

    /** Seconds per loop of each run. */
    public double[] timings() {
        return timings.clone();
    }

    public double average() {
        double sum = 0;
        for (double t : timings) {
            sum += t;
        }
        return sum / timings.length;
    }

    /** Population standard deviation, as IPython's. */
    public double stdev() {
        double mean = average();
        double sq = 0;
        for (double t : timings) {
            sq += (t - mean) * (t - mean);
        }
        return Math.sqrt(sq / timings.length);
    }

    public double best() {
        double b = Double.MAX_VALUE;
        for (double t : timings) {
            b = Math.min(b, t);
        }
        return b;
    }

    public double worst() {
        double w = 0;
        for (double t : timings) {
            w = Math.max(w, t);
        }
        return w;
    }

    String warning() {
        double best = best();
        double worst = worst();
        if (best > 0 && worst > 4 * best && worst > 1e-6) {
            return "The slowest run took " + Common.significant(worst / best, 4)
                + " times longer than the fastest. This could mean that an intermediate result is being cached.";
        }
        return null;
    }

    @Override
    public String toString() {
        return Common.formatTime(average()) + " ± " + Common.formatTime(stdev()) + " per loop (mean ± std. dev. of "
            + repeat + " run" + (repeat == 1 ? "" : "s") + ", " + String.format(Locale.ROOT, "%,d", loops)
            + " loop" + (loops == 1 ? "" : "s") + " each)";
    }
}

package dev.ferry.train;

import java.util.SplittableRandom;

/**
 * Random windows of a token stream as (input, target) pairs. The batch of step {@code s} depends only on
 * the seed and {@code s}, so a run resumed at step k sees the batches an uninterrupted run would.
 */
public final class Batches {

    public record Batch(int[] inputs, int[] targets, int batch, int time) {}

    private final int[] tokens;
    private final int batch, time;
    private final long seed;

    public Batches(int[] tokens, int batch, int time, long seed) {
        if (tokens.length < time + 2) {
            throw new IllegalArgumentException("text of " + tokens.length + " tokens is too short for windows of "
                    + time + " (needs at least " + (time + 2) + ")");
        }
        this.tokens = tokens;
        this.batch = batch;
        this.time = time;
        this.seed = seed;
    }

    public Batch at(long step) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step);
        int[] in = new int[batch * time], tg = new int[batch * time];
        for (int b = 0; b < batch; b++) {
            int start = rnd.nextInt(tokens.length - time - 1);
            System.arraycopy(tokens, start, in, b * time, time);
            System.arraycopy(tokens, start + 1, tg, b * time, time);
        }
        return new Batch(in, tg, batch, time);
    }
}

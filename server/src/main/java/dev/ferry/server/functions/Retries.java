package dev.ferry.server.functions;

import dev.ferry.proto.v1.FunctionOptions;
import dev.ferry.proto.v1.RetryPolicy;

/**
 * When a failed attempt is tried again (Modal's {@code Retries}). {@code retries=N} alone: N retries, 1 s apart
 * (Modal's integer form). With a {@link RetryPolicy}: the delay before retry n is
 * {@code initial_delay * backoff_coefficient^(n-1)}, at most {@code max_delay}, with Modal's bounds; a coefficient
 * or max delay left at 0 takes Modal's default (2.0, 60 s); an initial delay of 0 means none (the magic sends
 * Modal's 1 s unless {@code initial_delay=} says otherwise).
 */
public record Retries(int maxRetries, double backoffCoefficient, long initialDelayMs, long maxDelayMs) {
    static final int MAX_RETRIES = 10;
    static final double DEFAULT_COEFFICIENT = 2.0;
    static final long DEFAULT_INITIAL_MS = 1000;
    static final long DEFAULT_MAX_MS = 60_000;

    /** The policy of these options; throws IllegalArgumentException naming the bound a value is out of. */
    public static Retries of(FunctionOptions o) {
        int n = o.getRetries();
        if (n < 0 || n > MAX_RETRIES) {
            throw new IllegalArgumentException("retries=" + n + " is out of range: give 0 to " + MAX_RETRIES);
        }
        if (!o.hasRetryPolicy()) {
            return new Retries(n, 1.0, DEFAULT_INITIAL_MS, DEFAULT_INITIAL_MS);
        }
        RetryPolicy p = o.getRetryPolicy();
        double c = p.getBackoffCoefficient() == 0 ? DEFAULT_COEFFICIENT : p.getBackoffCoefficient();
        long initial = p.getInitialDelayMs();
        long max = p.getMaxDelayMs() == 0 ? DEFAULT_MAX_MS : p.getMaxDelayMs();
        if (!(c >= 1.0 && c <= 10.0)) {
            throw new IllegalArgumentException("backoff=" + c + " is out of range: the backoff coefficient is 1.0 to 10.0"
                    + " (1.0: the same delay each time; Modal's default 2.0)");
        }
        if (initial < 0 || initial > 60_000) {
            throw new IllegalArgumentException("initial_delay=" + initial / 1000.0 + " s is out of range: give 0 to 60 seconds");
        }
        if (max < 1000 || max > 60_000) {
            throw new IllegalArgumentException("max_delay=" + max / 1000.0 + " s is out of range: give 1 to 60 seconds");
        }
        return new Retries(n, c, initial, max);
    }

    /** The wait before retry {@code n} (1 for the first retry). */
    public long delayMs(int n) {
        double d = initialDelayMs * Math.pow(backoffCoefficient, Math.max(0, n - 1));
        return (long) Math.min(d, maxDelayMs);
    }
}

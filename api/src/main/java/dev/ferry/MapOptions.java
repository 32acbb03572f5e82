package dev.ferry;

/**
 * How {@link Function#map} and {@link Function#starmap} run: results in input order (the default) or as they
 * complete ({@link #unordered()}, Modal's {@code order_outputs=False}), and how many inputs are in flight at
 * once ({@link #window}; default 1,000, as Modal bounds a map): the next input is sent when one finishes.
 */
public record MapOptions(boolean orderOutputs, int window) {
    public static final int DEFAULT_WINDOW = 1000;

    public MapOptions {
        if (window < 1 || window > 10_000) {
            throw new InvalidArgumentException("window=" + window + " is out of range: give 1 to 10000 inputs in flight");
        }
    }

    /** Input order, at most 1,000 inputs in flight. */
    public static MapOptions defaults() {
        return new MapOptions(true, DEFAULT_WINDOW);
    }

    /** Results in the order the calls complete. */
    public static MapOptions unordered() {
        return new MapOptions(false, DEFAULT_WINDOW);
    }

    /** These options with at most {@code n} inputs in flight. */
    public MapOptions window(int n) {
        return new MapOptions(orderOutputs, n);
    }

    /** These options with results in input order ({@code true}) or in completion order. */
    public MapOptions orderOutputs(boolean ordered) {
        return new MapOptions(ordered, window);
    }
}

package dev.ferry;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.function.LongSupplier;

/**
 * A progress bar shown in the cell's output and updated in place ({@code update_display_data}): an HTML
 * {@code <progress>} bar with a text/plain fallback such as {@code Building: 42/100 [====      ] 42%}.
 *
 * <pre>{@code
 * Progress p = progress("Building", 100);   // user code (Display.progress)
 * Progress p = Progress.start("Resolving", n, ctx::display);   // a magic, through its MagicContext
 * p.advance(1); p.set(42); p.label("Linking"); p.done();
 * }</pre>
 *
 * Updates are throttled to one per {@link #MIN_INTERVAL_NANOS} (about 10 a second); {@link #done()} always
 * sends the final state. A total of 0 or less means unknown: the count is shown without a bar. Thread-safe.
 */
public final class Progress implements AutoCloseable {
    /** Least time between two updates sent (100 ms). */
    public static final long MIN_INTERVAL_NANOS = 100_000_000L;
    static final int BAR_WIDTH = 20;

    /** Where a progress bar is shown: a MIME bundle, its display id, and whether it replaces the last one. */
    @FunctionalInterface
    public interface Sink {
        void show(Map<String, Object> bundle, String displayId, boolean update);
    }

    private final Sink sink;
    private final LongSupplier clock;
    private final String displayId = "ferry-progress-" + UUID.randomUUID();
    private String label;
    private long total;
    private long current;
    private long lastSent;
    private boolean dirty;
    private boolean done;

    private Progress(String label, long total, Sink sink, LongSupplier clock) {
        this.label = label == null ? "" : label;
        this.total = total;
        this.sink = sink;
        this.clock = clock;
    }

    /** Shows a new progress bar at 0 through {@code sink}. */
    public static Progress start(String label, long total, Sink sink) {
        return start(label, total, sink, System::nanoTime);
    }

    /** As {@link #start(String, long, Sink)}, with a clock (nanoseconds) for the throttle; for tests. */
    public static Progress start(String label, long total, Sink sink, LongSupplier clockNanos) {
        if (sink == null || clockNanos == null) {
            throw new IllegalArgumentException("a progress bar needs a sink and a clock");
        }
        Progress p = new Progress(label, total, sink, clockNanos);
        synchronized (p) {
            p.lastSent = clockNanos.getAsLong();
            sink.show(p.bundle(), p.displayId, false);
        }
        return p;
    }

    /** Adds 1. */
    public Progress advance() {
        return advance(1);
    }

    /** Adds {@code n}. */
    public synchronized Progress advance(long n) {
        current += n;
        changed();
        return this;
    }

    /** Sets the count. */
    public synchronized Progress set(long n) {
        current = n;
        changed();
        return this;
    }

    /** Changes the label. */
    public synchronized Progress label(String newLabel) {
        label = newLabel == null ? "" : newLabel;
        changed();
        return this;
    }

    /** Changes the total (0 or less: unknown). */
    public synchronized Progress total(long newTotal) {
        total = newTotal;
        changed();
        return this;
    }

    /** Sends the final state (always, never throttled); later calls change nothing. */
    public synchronized void done() {
        if (done) {
            return;
        }
        done = true;
        send();
    }

    /** Same as {@link #done()}, for try-with-resources. */
    @Override
    public void close() {
        done();
    }

    public synchronized long current() {
        return current;
    }

    public synchronized long total() {
        return total;
    }

    public synchronized String label() {
        return label;
    }

    public synchronized boolean isDone() {
        return done;
    }

    public String displayId() {
        return displayId;
    }

    @Override
    public synchronized String toString() {
        return text(label, current, total, done);
    }

    private void changed() {
        if (done) {
            return;
        }
        dirty = true;
        if (clock.getAsLong() - lastSent >= MIN_INTERVAL_NANOS) {
            send();
        }
    }

    private void send() {
        lastSent = clock.getAsLong();
        dirty = false;
        sink.show(bundle(), displayId, true);
    }

    /** True when a change is waiting for the throttle (shown by the next update after it, or by done()). */
    synchronized boolean pending() {
        return dirty;
    }

    /** The bundle for the current state. */
    public synchronized Map<String, Object> bundle() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text/html", html(label, current, total, done));
        m.put("text/plain", text(label, current, total, done));
        return m;
    }

    /** {@code Building: 42/100 [========            ] 42%}; with an unknown total {@code Building: 42}. */
    public static String text(String label, long current, long total, boolean done) {
        String prefix = label.isEmpty() ? "" : label + ": ";
        if (total <= 0) {
            return prefix + current + (done ? " (done)" : "");
        }
        int pct = percent(current, total);
        int fill = (int) Math.round(BAR_WIDTH * Math.min(1.0, Math.max(0.0, (double) current / total)));
        return prefix + current + "/" + total + " [" + "=".repeat(fill) + " ".repeat(BAR_WIDTH - fill) + "] " + pct + "%";
    }

    /** An HTML {@code <progress>} bar with the label and the count. */
    public static String html(String label, long current, long total, boolean done) {
        StringBuilder sb = new StringBuilder("<div class=\"ferry-progress\" style=\"font-family: monospace;\">");
        if (!label.isEmpty()) {
            sb.append("<span>").append(escape(label)).append("</span> ");
        }
        if (total > 0) {
            long shown = Math.max(0, Math.min(current, total));
            int pct = percent(current, total);
            sb.append("<progress value=\"").append(shown).append("\" max=\"").append(total)
                    .append("\" style=\"width: 20em; vertical-align: middle;\"></progress> ")
                    .append("<span>").append(current).append('/').append(total).append(" (").append(pct).append("%)</span>");
        } else {
            if (!done) {
                sb.append("<progress style=\"width: 20em; vertical-align: middle;\"></progress> ");
            }
            sb.append("<span>").append(current).append(done ? " (done)" : "").append("</span>");
        }
        return sb.append("</div>").toString();
    }

    private static int percent(long current, long total) {
        return (int) Math.max(0, Math.min(100, Math.floor(100.0 * current / total)));
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}

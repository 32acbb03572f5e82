package dev.ferry.remote.control;

import com.google.gson.JsonObject;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.remote.display.Text;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * An image build's log as one display in the cell, updated in place (at most every 250 ms): the current
 * step and the last lines. Nothing shows when the image was cached.
 */
final class BuildLog implements Consumer<String> {
    private static final AtomicLong IDS = new AtomicLong();
    private static final int LINES = 8;
    private static final java.util.regex.Pattern STEP = java.util.regex.Pattern.compile("Step (\\d+/\\d+) :");
    private final Consumer<WorkerEvent> emit;
    private final String displayId = "ferry-build-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();
    private final Deque<String> tail = new ArrayDeque<>();
    private String step = "";
    private String title = "";
    private boolean shown;
    private boolean ok = true;
    private long lastShown;

    /** @param emit where the display frames go: the calling cell ({@code Worker.CallContext::emit}) */
    BuildLog(Consumer<WorkerEvent> emit) {
        this.emit = emit;
    }

    @Override
    public synchronized void accept(String text) {
        String line = Text.stripAnsi(text); // a browser would print the escapes of apt's colours as they are
        if (title.isEmpty()) {
            title = line;
            return;
        }
        java.util.regex.Matcher m = STEP.matcher(line);
        if (m.lookingAt()) {
            step = "step " + m.group(1); // the line itself is in the tail: shown once
        }
        tail.addLast(line);
        if (tail.size() > LINES) {
            tail.removeFirst();
        }
        long now = System.nanoTime();
        if (!shown || now - lastShown > 250_000_000L) {
            show(false);
            lastShown = now;
        }
    }

    /** The final state (when anything was shown). */
    synchronized void done(boolean ok) {
        if (shown) {
            this.ok = ok;
            show(true);
        }
    }

    private void show(boolean finished) {
        String text = title + (step.isEmpty() ? "" : " \u2014 " + step) + "\n  " + String.join("\n  ", tail)
                + (finished ? (ok ? "\n(build finished)" : "\n(build failed)") : "");
        JsonObject data = new JsonObject();
        data.addProperty("text/plain", text);
        data.addProperty("text/html", "<details" + (finished ? "" : " open") + "><summary><b>"
                + Text.html(title) + "</b>" + (step.isEmpty() ? "" : " &mdash; " + Text.html(step)) + "</summary><pre>"
                + Text.html(String.join("\n", tail)) + "</pre></details>");
        JsonObject frame = new JsonObject();
        frame.add("data", data);
        frame.add("metadata", new JsonObject());
        frame.addProperty("display_id", displayId);
        frame.addProperty("update", shown);
        shown = true;
        emit.accept(new WorkerEvent.Display(frame));
    }
}

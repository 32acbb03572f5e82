package dev.ferry.remote.worker;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.remote.protocol.Frame;
import dev.ferry.remote.protocol.FrameCodec;
import dev.ferry.remote.protocol.Ops;

import java.io.IOException;
import java.util.Map;

/**
 * Sends display bundles to the kernel as {@code display} frames, charged to the running cell. WorkerMain
 * connects it at start; user code reaches it through {@code dev.ferry.Display} (the {@code dev.ferry.spi.Frontend} it installs).
 */
public final class Displays {
    private static final Gson GSON = new Gson();
    private static volatile FrameCodec codec;
    private static volatile CellIds cells;
    private static volatile Runnable flushOutput = () -> {};

    private Displays() {}

    static void connect(FrameCodec c, CellIds ids, Runnable flush) {
        codec = c;
        cells = ids;
        flushOutput = flush;
    }

    /** A MIME bundle as JSON: strings stay strings, other values become their JSON form. */
    public static JsonObject bundle(Map<String, ?> mimeBundle) {
        JsonObject data = new JsonObject();
        mimeBundle.forEach((mime, v) -> {
            if (v instanceof JsonElement j) {
                data.add(mime, j);
            } else if (v instanceof CharSequence s) {
                data.addProperty(mime, s.toString());
            } else {
                data.add(mime, GSON.toJsonTree(v));
            }
        });
        return data;
    }

    /**
     * Shows (or with {@code update}, replaces the display with id {@code displayId}) a bundle. Output
     * printed before it is flushed first, so the order on the page is the order in the code.
     */
    public static void show(JsonObject data, String displayId, boolean update) {
        FrameCodec c = codec;
        if (c == null) {
            return; // not inside a worker (a unit test): nowhere to show it
        }
        flushOutput.run();
        Frame f = Frame.of(Ops.DISPLAY, cells.current()).with("data", data).with("metadata", new JsonObject());
        if (displayId != null) {
            f.with("display_id", displayId);
        }
        f.with("update", update);
        try {
            c.write(f);
        } catch (IOException e) {
            // the kernel is gone
        }
    }

    /** The MIME bundle for a value: what a final expression or display(obj) shows. */
    public static JsonObject render(Object value) {
        return Renderer.bundle(value);
    }
}

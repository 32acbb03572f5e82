package dev.ferry.api;

import com.google.gson.JsonObject;
import dev.ferry.remote.display.Images;
import dev.ferry.remote.display.Limits;
import dev.ferry.remote.display.Renderers;
import dev.ferry.remote.worker.Displays;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Ferry's user API, imported into every session ({@code import static dev.ferry.api.Ferry.*}):
 * {@code display(obj)}, {@code display(obj, mime)}, {@code html(s)}, {@code markdown(s)}, {@code image(x)},
 * {@code progress(label, total)} and {@code renderers()}. See docs/display.md.
 */
public final class Ferry {
    private Ferry() {}

    /**
     * Shows a value the way a cell's final expression would be shown; the handle updates it in place. A
     * handle as the value ({@code display(html(...))}) moves what that handle shows here.
     */
    public static DisplayHandle display(Object value) {
        return DisplayHandle.show(DisplayHandle.bundleOf(value));
    }

    /** Shows {@code value} (its text, or a byte[] as base64) under the given MIME type. */
    public static DisplayHandle display(Object value, String mimeType) {
        return DisplayHandle.show(DisplayHandle.single(mimeType, value));
    }

    public static DisplayHandle html(String html) {
        return display(html, "text/html");
    }

    public static DisplayHandle markdown(String markdown) {
        return display(markdown, "text/markdown");
    }

    /**
     * Shows an image: a {@code BufferedImage}, a {@code Path}/{@code File}/file name of a .png, .jpg/.jpeg or
     * .gif, or PNG/JPEG/GIF bytes. Throws {@code IllegalArgumentException} for anything else.
     */
    public static DisplayHandle image(Object image) {
        return DisplayHandle.show(Displays.bundle(Limits.enforce(Images.bundle(image))));
    }

    /** A progress bar shown now and updated in place: {@code p.advance(n)}, {@code p.set(n)}, {@code p.done()}. */
    public static Progress progress(String label, long total) {
        return new Progress(dev.ferry.magics.Progress.start(label, total,
                (bundle, id, update) -> Displays.show(Displays.bundle(bundle), id, update)));
    }

    /** A progress bar with an unknown total (a count without a bar). */
    public static Progress progress(String label) {
        return progress(label, 0);
    }

    /** The renderer registry: {@code renderers().register(Point.class, p -> Map.of("text/html", ...))}. */
    public static Renderers renderers() {
        return Renderers.global();
    }

    /**
     * A shown output that can be replaced in place ({@code update_display_data}). A cell whose value is a
     * handle shows nothing more: the output is already there.
     */
    public static final class DisplayHandle {
        private final String id;
        private volatile JsonObject data;

        private DisplayHandle(String id, JsonObject data) {
            this.id = id;
            this.data = data;
        }

        static DisplayHandle show(JsonObject data) {
            DisplayHandle h = new DisplayHandle(UUID.randomUUID().toString(), data);
            Displays.show(data, h.id, false);
            return h;
        }

        /**
         * The bundle that shows {@code value}: a handle's own bundle (its output is cleared: the content
         * moves, so {@code h.update(html(...))} shows the HTML once, in h), else the renderers' bundle.
         */
        static JsonObject bundleOf(Object value) {
            if (value instanceof DisplayHandle other) {
                JsonObject moved = other.data;
                other.replace(Displays.bundle(Map.of("text/plain", ""))); // moved out: an empty text
                return moved;
            }
            return Displays.render(value);
        }

        /** The display id ({@code transient.display_id} of the outputs). */
        public String id() {
            return id;
        }

        /** Replaces what the handle shows with {@code value}, rendered as {@link #display(Object)} renders it. */
        public void update(Object value) {
            replace(bundleOf(value));
        }

        public void update(Object value, String mimeType) {
            replace(single(mimeType, value));
        }

        private void replace(JsonObject bundle) {
            data = bundle;
            Displays.show(bundle, id, true);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof DisplayHandle h && h.id.equals(id);
        }

        @Override
        public int hashCode() {
            return id.hashCode();
        }

        @Override
        public String toString() {
            return "DisplayHandle[id=" + id + "]";
        }

        static JsonObject single(String mime, Object value) {
            Object v = value instanceof byte[] b ? java.util.Base64.getEncoder().encodeToString(b) : String.valueOf(value);
            Map<String, Object> data = new LinkedHashMap<>();
            data.put(mime, v);
            if (!mime.equals("text/plain")) {
                data.put("text/plain", mime + " output");
            }
            return Displays.bundle(Limits.enforce(data));
        }
    }

    /**
     * A progress bar in a cell's output ({@code Progress p = progress("Building", 100)}); usable without an
     * import because it is a member of this class. It wraps {@link dev.ferry.magics.Progress}, which magics use.
     */
    public static final class Progress implements AutoCloseable {
        private final dev.ferry.magics.Progress p;

        Progress(dev.ferry.magics.Progress p) {
            this.p = p;
        }

        /** Adds 1. */
        public Progress advance() {
            p.advance();
            return this;
        }

        /** Adds {@code n}. */
        public Progress advance(long n) {
            p.advance(n);
            return this;
        }

        /** Sets the count. */
        public Progress set(long n) {
            p.set(n);
            return this;
        }

        /** Changes the label. */
        public Progress label(String label) {
            p.label(label);
            return this;
        }

        /** Changes the total (0 or less: unknown). */
        public Progress total(long total) {
            p.total(total);
            return this;
        }

        /** Shows the final state (always sent, never throttled). */
        public void done() {
            p.done();
        }

        @Override
        public void close() {
            p.done();
        }

        public long current() {
            return p.current();
        }

        public long total() {
            return p.total();
        }

        public String displayId() {
            return p.displayId();
        }

        /** The underlying progress bar, for APIs that take {@link dev.ferry.magics.Progress}. */
        public dev.ferry.magics.Progress unwrap() {
            return p;
        }

        @Override
        public String toString() {
            return dev.ferry.magics.Progress.text(p.label(), p.current(), p.total(), p.isDone());
        }
    }
}

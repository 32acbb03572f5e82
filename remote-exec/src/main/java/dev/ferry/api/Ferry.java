package dev.ferry.api;

import com.google.gson.JsonObject;
import dev.ferry.remote.worker.Displays;

import java.util.Map;
import java.util.UUID;

/**
 * Ferry's user API, imported into every session ({@code import static dev.ferry.api.Ferry.*}):
 * {@code display(obj)}, {@code display(obj, mime)}, {@code html(s)}, {@code markdown(s)}.
 */
public final class Ferry {
    private Ferry() {}

    /** Shows a value the way a cell's final expression would be shown; the handle updates it in place. */
    public static DisplayHandle display(Object value) {
        DisplayHandle h = new DisplayHandle(UUID.randomUUID().toString());
        Displays.show(Displays.render(value), h.id(), false);
        return h;
    }

    /** Shows {@code value} (its text, or a byte[] as base64) under the given MIME type. */
    public static DisplayHandle display(Object value, String mimeType) {
        DisplayHandle h = new DisplayHandle(UUID.randomUUID().toString());
        Displays.show(DisplayHandle.single(mimeType, value), h.id(), false);
        return h;
    }

    public static DisplayHandle html(String html) {
        return display(html, "text/html");
    }

    public static DisplayHandle markdown(String markdown) {
        return display(markdown, "text/markdown");
    }

    /** A shown output that can be replaced in place ({@code update_display_data}). */
    public record DisplayHandle(String id) {
        public void update(Object value) {
            Displays.show(Displays.render(value), id, true);
        }

        public void update(Object value, String mimeType) {
            Displays.show(single(mimeType, value), id, true);
        }

        static JsonObject single(String mime, Object value) {
            Object v = value instanceof byte[] b ? java.util.Base64.getEncoder().encodeToString(b) : String.valueOf(value);
            JsonObject data = Displays.bundle(Map.of(mime, v));
            if (!mime.equals("text/plain")) {
                data.addProperty("text/plain", mime + " output");
            }
            return data;
        }
    }
}

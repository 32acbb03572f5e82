package dev.ferry;

import dev.ferry.spi.Frontend;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * A shown output that can be replaced in place ({@code update_display_data}), returned by
 * {@link Display#display}. A cell whose value is a handle shows nothing more: the output is already there.
 */
public final class DisplayHandle {
    private final String id;
    private volatile Map<String, Object> data;

    private DisplayHandle(String id, Map<String, Object> data) {
        this.id = id;
        this.data = data;
    }

    static DisplayHandle show(Map<String, Object> data) {
        DisplayHandle h = new DisplayHandle(UUID.randomUUID().toString(), data);
        Frontend.current().show(data, h.id, false);
        return h;
    }

    /**
     * The bundle that shows {@code value}: a handle's own bundle (its output is cleared: the content
     * moves, so {@code h.update(html(...))} shows the HTML once, in h), else the renderers' bundle.
     */
    static Map<String, Object> bundleOf(Object value) {
        if (value instanceof DisplayHandle other) {
            Map<String, Object> moved = other.data;
            other.replace(Map.of("text/plain", "")); // moved out: an empty text
            return moved;
        }
        return Frontend.current().render(value);
    }

    /** The display id ({@code transient.display_id} of the outputs). */
    public String id() {
        return id;
    }

    /** Replaces what the handle shows with {@code value}, rendered as {@link Display#display(Object)} renders it. */
    public void update(Object value) {
        replace(bundleOf(value));
    }

    public void update(Object value, String mimeType) {
        replace(single(mimeType, value));
    }

    private void replace(Map<String, Object> bundle) {
        data = bundle;
        Frontend.current().show(bundle, id, true);
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

    static Map<String, Object> single(String mime, Object value) {
        Object v = value instanceof byte[] b ? java.util.Base64.getEncoder().encodeToString(b) : String.valueOf(value);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(mime, v);
        if (!mime.equals("text/plain")) {
            data.put("text/plain", mime + " output");
        }
        return Frontend.current().limit(data);
    }
}

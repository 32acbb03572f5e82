package dev.ferry.kernel.wire;

import com.google.gson.JsonObject;

import java.util.List;

/** One Jupyter message as received or to be sent; {@code identities} route replies on ROUTER sockets. */
public record Message(List<byte[]> identities, JsonObject header, JsonObject parent, JsonObject metadata,
                      JsonObject content, List<byte[]> buffers) {

    public String type() {
        return header.has("msg_type") ? header.get("msg_type").getAsString() : "";
    }

    public String id() {
        return header.has("msg_id") ? header.get("msg_id").getAsString() : "";
    }

    public String str(String key, String dflt) {
        return content.has(key) && !content.get(key).isJsonNull() ? content.get(key).getAsString() : dflt;
    }

    public int integer(String key, int dflt) {
        return content.has(key) && !content.get(key).isJsonNull() ? content.get(key).getAsInt() : dflt;
    }

    public boolean bool(String key, boolean dflt) {
        return content.has(key) && !content.get(key).isJsonNull() ? content.get(key).getAsBoolean() : dflt;
    }
}

package dev.ferry.remote.protocol;

import com.google.gson.JsonObject;

/**
 * One unit of the worker protocol: a JSON header (always carries {@code op}) and an optional raw body
 * (stream text as UTF-8, Arrow IPC, bytes). See docs/worker-protocol.md.
 */
public record Frame(JsonObject header, byte[] body) {
    private static final byte[] EMPTY = new byte[0];

    public Frame {
        if (!header.has("op")) {
            throw new IllegalArgumentException("frame header lacks 'op': " + header);
        }
        body = body == null ? EMPTY : body;
    }

    public static Frame of(String op) {
        JsonObject h = new JsonObject();
        h.addProperty("op", op);
        return new Frame(h, EMPTY);
    }

    public static Frame of(String op, long id) {
        Frame f = of(op);
        f.header.addProperty("id", id);
        return f;
    }

    public String op() {
        return header.get("op").getAsString();
    }

    public long id() {
        return header.has("id") ? header.get("id").getAsLong() : 0L;
    }

    public String str(String key) {
        return header.has(key) && !header.get(key).isJsonNull() ? header.get(key).getAsString() : null;
    }

    public int intOr(String key, int dflt) {
        return header.has(key) ? header.get(key).getAsInt() : dflt;
    }

    public boolean bool(String key) {
        return header.has(key) && header.get(key).getAsBoolean();
    }

    public Frame with(String key, String value) {
        header.addProperty(key, value);
        return this;
    }

    public Frame with(String key, Number value) {
        header.addProperty(key, value);
        return this;
    }

    public Frame with(String key, boolean value) {
        header.addProperty(key, value);
        return this;
    }

    public Frame with(String key, com.google.gson.JsonElement value) {
        header.add(key, value);
        return this;
    }

    public Frame withBody(byte[] bytes) {
        return new Frame(header, bytes);
    }
}

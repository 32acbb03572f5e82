package dev.ferry;

import java.util.Map;
import java.util.function.Consumer;

/**
 * One Jupyter comm between code in this session and a front end (docs/comms.md): messages both ways
 * until either side closes it. Comms come from {@link Comms#register} (the front end opened one to a
 * target of this session) or {@link Comms#open} (this session opens one to a front-end target).
 * Message data are JSON objects: maps, lists, strings, numbers (whole numbers as {@code Long}), booleans.
 */
public final class Comm {
    private final String id;
    private final String target;
    private final Map<String, Object> data;
    private volatile Consumer<Map<String, Object>> onMessage = m -> { };
    private volatile Consumer<Map<String, Object>> onClose = m -> { };
    private volatile boolean closed;

    Comm(String id, String target, Map<String, Object> data) {
        this.id = id;
        this.target = target;
        this.data = data;
    }

    /** The comm's id (chosen by whichever side opened it). */
    public String id() {
        return id;
    }

    /** The target it was opened to. */
    public String target() {
        return target;
    }

    /** The data of the comm_open that started it. */
    public Map<String, Object> data() {
        return data;
    }

    public boolean isClosed() {
        return closed;
    }

    /** Sends a comm_msg with {@code data} (a map that becomes a JSON object) to the front end. */
    public void send(Map<String, ?> data) {
        if (closed) {
            throw new IllegalStateException("comm " + id + " (target '" + target + "') is closed; open a new one");
        }
        Comms.call("msg", Comms.fields(id, data));
    }

    /** Called with the data of each comm_msg the front end sends on this comm (replaces an earlier handler). */
    public Comm onMessage(Consumer<Map<String, Object>> handler) {
        onMessage = handler == null ? m -> { } : handler;
        return this;
    }

    /** Called with the data of the front end's comm_close. */
    public Comm onClose(Consumer<Map<String, Object>> handler) {
        onClose = handler == null ? m -> { } : handler;
        return this;
    }

    /** Closes the comm (a comm_close to the front end); closing twice does nothing. */
    public void close() {
        close(Map.of());
    }

    public void close(Map<String, ?> data) {
        if (closed) {
            return;
        }
        closed = true;
        Comms.forget(id);
        Comms.call("close", Comms.fields(id, data));
    }

    void received(Map<String, Object> msg) {
        onMessage.accept(msg);
    }

    void closedByFrontEnd(Map<String, Object> msg) {
        closed = true;
        onClose.accept(msg);
    }

    @Override
    public String toString() {
        return "Comm[" + target + " " + id + (closed ? ", closed" : "") + "]";
    }
}

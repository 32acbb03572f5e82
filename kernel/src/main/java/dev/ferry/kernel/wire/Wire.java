package dev.ferry.kernel.wire;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.zeromq.ZMQ;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * Reads and writes Jupyter wire messages on ZeroMQ sockets: identities, {@code <IDS|MSG>}, signature,
 * header, parent header, metadata, content, buffers. Messages with a missing or wrong signature are
 * dropped (and logged), never handed on.
 */
public final class Wire {
    /** Fixed microsecond precision, so dates also compare correctly as strings. */
    private static final java.time.format.DateTimeFormatter DATE =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(java.time.ZoneOffset.UTC);
    private static final byte[] DELIMITER = "<IDS|MSG>".getBytes(StandardCharsets.US_ASCII);
    public static final String PROTOCOL_VERSION = "5.3";

    private final Signer signer;
    private final String session = UUID.randomUUID().toString();

    public Wire(Signer signer) {
        this.signer = signer;
    }

    /** Blocks for the next well-formed, correctly signed message; returns null when the socket is closed. */
    public Message receive(ZMQ.Socket socket) {
        while (true) {
            List<byte[]> frames = frames(socket);
            if (frames == null) {
                return null;
            }
            Message m = parse(frames);
            if (m != null) {
                return m;
            }
        }
    }

    /** One receive under the socket's receive timeout: null on timeout or for a dropped message. */
    public Message receiveOnce(ZMQ.Socket socket) {
        List<byte[]> frames = frames(socket);
        return frames == null ? null : parse(frames);
    }

    /** A message already waiting on the socket, or null at once when none is (or it was dropped). */
    public Message receiveWaiting(ZMQ.Socket socket) {
        List<byte[]> frames = frames(socket, ZMQ.DONTWAIT);
        return frames == null ? null : parse(frames);
    }

    private static List<byte[]> frames(ZMQ.Socket socket) {
        return frames(socket, 0);
    }

    private static List<byte[]> frames(ZMQ.Socket socket, int flags) {
        List<byte[]> frames = new ArrayList<>();
        try {
            byte[] f = socket.recv(flags);
            if (f == null) {
                return null;
            }
            frames.add(f);
            while (socket.hasReceiveMore()) {
                frames.add(socket.recv(0));
            }
            return frames;
        } catch (RuntimeException e) { // context terminated
            return null;
        }
    }

    /** Parses and verifies; null (after a log line) for anything that must not be acted on. */
    Message parse(List<byte[]> frames) {
        int d = -1;
        for (int i = 0; i < frames.size(); i++) {
            if (Arrays.equals(frames.get(i), DELIMITER)) {
                d = i;
                break;
            }
        }
        if (d < 0 || frames.size() < d + 6) {
            log("dropped a malformed message (" + frames.size() + " frames, no complete <IDS|MSG> envelope)");
            return null;
        }
        byte[] sig = frames.get(d + 1);
        byte[] h = frames.get(d + 2);
        byte[] p = frames.get(d + 3);
        byte[] md = frames.get(d + 4);
        byte[] c = frames.get(d + 5);
        if (!signer.verify(sig, h, p, md, c)) {
            log("dropped a message with a " + (sig.length == 0 ? "missing" : "wrong") + " signature");
            return null;
        }
        try {
            return new Message(new ArrayList<>(frames.subList(0, d)), json(h), json(p), json(md), json(c),
                    new ArrayList<>(frames.subList(d + 6, frames.size())));
        } catch (RuntimeException e) {
            log("dropped a message whose parts are not JSON objects: " + e.getMessage());
            return null;
        }
    }

    private static JsonObject json(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        return s.isBlank() ? new JsonObject() : JsonParser.parseString(s).getAsJsonObject();
    }

    /** Sends a message of {@code type} in reply to (or on behalf of) {@code parent}. Not thread-safe per socket. */
    public void send(ZMQ.Socket socket, List<byte[]> identities, String type, JsonObject parentHeader, JsonObject content) {
        send(socket, identities, type, parentHeader, null, content);
    }

    /** Like {@link #send(ZMQ.Socket, List, String, JsonObject, JsonObject)} with the message's metadata (null: {}). */
    public void send(ZMQ.Socket socket, List<byte[]> identities, String type, JsonObject parentHeader, JsonObject metadata,
                     JsonObject content) {
        JsonObject header = new JsonObject();
        header.addProperty("msg_id", UUID.randomUUID().toString());
        header.addProperty("session", session);
        header.addProperty("username", "ferry");
        header.addProperty("date", DATE.format(Instant.now()));
        header.addProperty("msg_type", type);
        header.addProperty("version", PROTOCOL_VERSION);
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        byte[] p = (parentHeader == null ? "{}" : parentHeader.toString()).getBytes(StandardCharsets.UTF_8);
        byte[] md = (metadata == null ? "{}" : metadata.toString()).getBytes(StandardCharsets.UTF_8);
        byte[] c = content.toString().getBytes(StandardCharsets.UTF_8);
        for (byte[] id : identities) {
            socket.sendMore(id);
        }
        socket.sendMore(DELIMITER);
        socket.sendMore(signer.sign(h, p, md, c));
        socket.sendMore(h);
        socket.sendMore(p);
        socket.sendMore(md);
        socket.send(c, 0);
    }

    static void log(String s) {
        System.err.println("[ferry] " + s);
    }
}

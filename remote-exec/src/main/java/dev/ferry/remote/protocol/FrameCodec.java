package dev.ferry.remote.protocol;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Length-prefixed frames: {@code u32 headerLength, u32 bodyLength, header (UTF-8 JSON), body}, big-endian.
 * Reading and writing are each meant for one thread at a time; {@link #write} is synchronized so that
 * several producers may share one codec.
 */
public final class FrameCodec {
    /** Frames above this size are refused instead of allocated: a corrupt length must not cost the heap. */
    public static final int MAX_HEADER = 16 << 20;
    public static final int MAX_BODY = Integer.MAX_VALUE - 16;

    private final DataInputStream in;
    private final OutputStream out;

    public FrameCodec(InputStream in, OutputStream out) {
        this.in = in == null ? null : new DataInputStream(in);
        this.out = out;
    }

    /** Returns the next frame, or {@code null} at a clean end of stream (between frames). */
    public Frame read() throws IOException {
        int first = in.read();
        if (first < 0) {
            return null;
        }
        int headerLen = (first << 24) | (in.readUnsignedByte() << 16) | (in.readUnsignedByte() << 8) | in.readUnsignedByte();
        int bodyLen = in.readInt();
        if (headerLen <= 0 || headerLen > MAX_HEADER || bodyLen < 0 || bodyLen > MAX_BODY) {
            throw new ProtocolException("corrupt frame lengths: header=" + headerLen + " body=" + bodyLen
                    + " (something other than the worker wrote to the protocol stream)");
        }
        byte[] header = new byte[headerLen];
        byte[] body = new byte[bodyLen];
        try {
            in.readFully(header);
            in.readFully(body);
        } catch (EOFException e) {
            throw new ProtocolException("stream ended inside a frame (the peer died mid-write)");
        }
        JsonObject json;
        try {
            json = JsonParser.parseString(new String(header, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ProtocolException("frame header is not a JSON object: " + e.getMessage());
        }
        if (!json.has("op")) {
            throw new ProtocolException("frame header lacks 'op'");
        }
        return new Frame(json, body);
    }

    public synchronized void write(Frame frame) throws IOException {
        byte[] header = frame.header().toString().getBytes(StandardCharsets.UTF_8);
        byte[] body = frame.body();
        byte[] prefix = {
            (byte) (header.length >>> 24), (byte) (header.length >>> 16), (byte) (header.length >>> 8), (byte) header.length,
            (byte) (body.length >>> 24), (byte) (body.length >>> 16), (byte) (body.length >>> 8), (byte) body.length,
        };
        out.write(prefix);
        out.write(header);
        if (body.length > 0) {
            out.write(body);
        }
        out.flush();
    }

    /** A stream that does not follow the frame format. */
    public static final class ProtocolException extends IOException {
        public ProtocolException(String message) {
            super(message);
        }
    }
}

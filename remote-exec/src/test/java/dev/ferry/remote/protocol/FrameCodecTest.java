package dev.ferry.remote.protocol;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.*;

class FrameCodecTest {
    @Test
    void roundTripsHeadersAndBodiesOfAnySize() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameCodec w = new FrameCodec(null, out);
        Random r = new Random(7);
        byte[][] bodies = {new byte[0], new byte[1], new byte[70_000], new byte[1 << 20]};
        for (byte[] b : bodies) {
            r.nextBytes(b);
            w.write(Frame.of(Ops.STREAM, 42).with("name", "stdout ü").withBody(b));
        }
        FrameCodec rd = new FrameCodec(new ByteArrayInputStream(out.toByteArray()), null);
        for (byte[] b : bodies) {
            Frame f = rd.read();
            assertEquals("stream", f.op());
            assertEquals(42, f.id());
            assertEquals("stdout ü", f.str("name"));
            assertArrayEquals(b, f.body());
        }
        assertNull(rd.read(), "clean end between frames");
    }

    @Test
    void truncatedFrameIsAProtocolError() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new FrameCodec(null, out).write(Frame.of(Ops.RESULT, 1).withBody(new byte[100]));
        byte[] cut = Arrays.copyOf(out.toByteArray(), out.size() - 10);
        var e = assertThrows(FrameCodec.ProtocolException.class, () -> new FrameCodec(new ByteArrayInputStream(cut), null).read());
        assertTrue(e.getMessage().contains("mid-write"));
    }

    @Test
    void foreignBytesAreRefusedNotAllocated() {
        byte[] garbage = "hello from a child process\n".getBytes(StandardCharsets.UTF_8);
        var e = assertThrows(FrameCodec.ProtocolException.class, () -> new FrameCodec(new ByteArrayInputStream(garbage), null).read());
        assertTrue(e.getMessage().contains("corrupt frame lengths"), e.getMessage());
    }

    @Test
    void headerMustBeJsonWithOp() {
        assertThrows(IllegalArgumentException.class, () -> new Frame(new com.google.gson.JsonObject(), null));
    }

    @Test
    void utf8PrefixNeverSplitsACharacter() {
        byte[] b = "aé€😀".getBytes(StandardCharsets.UTF_8); // 1 + 2 + 3 + 4 bytes
        assertEquals(10, Utf8.completePrefix(b, 10));
        assertEquals(6, Utf8.completePrefix(b, 9));
        assertEquals(6, Utf8.completePrefix(b, 7));
        assertEquals(3, Utf8.completePrefix(b, 5));
        assertEquals(1, Utf8.completePrefix(b, 2));
    }
}

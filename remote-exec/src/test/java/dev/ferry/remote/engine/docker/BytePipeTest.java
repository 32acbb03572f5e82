package dev.ferry.remote.engine.docker;

import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class BytePipeTest {
    @Test
    void bytesArriveInOrderAcrossThreadsAndCloseIsEndOfStream() throws Exception {
        BytePipe pipe = new BytePipe();
        byte[] all = new byte[1 << 20];
        new Random(7).nextBytes(all);
        Thread writer = new Thread(() -> {
            OutputStream out = pipe.out();
            try {
                for (int off = 0; off < all.length; ) {
                    int n = Math.min(1 + off % 5000, all.length - off);
                    out.write(all, off, n);
                    off += n;
                }
                out.close();
            } catch (java.io.IOException e) {
                throw new RuntimeException(e);
            }
        });
        writer.start(); // the writer thread ends before the reader is done: nothing breaks
        InputStream in = pipe.in();
        byte[] got = in.readAllBytes();
        writer.join();
        assertArrayEquals(all, got);
        assertEquals(-1, in.read());
    }

    @Test
    void aReadReturnsWhatIsThereWithoutWaitingForMore() throws Exception {
        BytePipe pipe = new BytePipe();
        byte[] chunk = "frame".getBytes();
        pipe.write(chunk, 0, chunk.length);
        byte[] buf = new byte[100];
        int n = pipe.in().read(buf, 0, buf.length);
        assertEquals("frame", new String(Arrays.copyOf(buf, n)));
    }

    @Test
    void writesAreCopiedSoTheCallerMayReuseItsBuffer() throws Exception {
        BytePipe pipe = new BytePipe();
        byte[] buf = {1, 2, 3};
        pipe.write(buf, 0, 3);
        buf[0] = 9;
        pipe.close();
        assertArrayEquals(new byte[] {1, 2, 3}, pipe.in().readAllBytes());
    }
}

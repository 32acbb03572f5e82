package dev.ferry.remote.worker;

import dev.ferry.remote.protocol.Frame;
import dev.ferry.remote.protocol.FrameCodec;
import dev.ferry.remote.protocol.Ops;
import dev.ferry.remote.protocol.Utf8;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * {@code System.out} / {@code System.err} of the worker: bytes are coalesced and sent as {@code stream}
 * frames when 8 KiB are pending, or {@value #LINGER_MS} ms after the first pending byte, so output streams
 * while a cell runs without a frame per line (a {@code println} flushes the PrintStream: that only
 * schedules a send). {@link #drain()} sends at once: before a result and before an input request.
 */
final class OutputChannel extends OutputStream {
    static final int LINGER_MS = 15;
    private static final int HIGH_WATER = 8192;
    private static final ScheduledExecutorService FLUSHER = WorkerThreads.scheduler("ferry-output-flusher");

    private final String name;
    private final FrameCodec codec;
    private final CellIds cells;
    private byte[] buf = new byte[HIGH_WATER * 2];
    private int len;
    private boolean flushScheduled;

    OutputChannel(String name, FrameCodec codec, CellIds cells) {
        this.name = name;
        this.codec = codec;
        this.cells = cells;
    }

    @Override
    public synchronized void write(int b) {
        ensure(1);
        buf[len++] = (byte) b;
        afterWrite();
    }

    @Override
    public synchronized void write(byte[] b, int off, int n) {
        ensure(n);
        System.arraycopy(b, off, buf, len, n);
        len += n;
        afterWrite();
    }

    private void ensure(int n) {
        if (len + n > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
        }
    }

    private void afterWrite() {
        if (len >= HIGH_WATER) {
            send();
        } else if (!flushScheduled) {
            flushScheduled = true;
            FLUSHER.schedule(this::lingerFlush, LINGER_MS, TimeUnit.MILLISECONDS);
        }
    }

    private synchronized void lingerFlush() {
        flushScheduled = false;
        send();
    }

    @Override
    public synchronized void flush() {
        if (len > 0 && !flushScheduled) {
            flushScheduled = true;
            FLUSHER.schedule(this::lingerFlush, LINGER_MS, TimeUnit.MILLISECONDS);
        }
    }

    /** Sends everything pending now. */
    synchronized void drain() {
        send();
    }

    private void send() {
        int n = Utf8.completePrefix(buf, len);
        if (n == 0) {
            return;
        }
        byte[] chunk = Arrays.copyOf(buf, n);
        System.arraycopy(buf, n, buf, 0, len - n);
        len -= n;
        try {
            codec.write(Frame.of(Ops.STREAM, cells.current()).with("name", name).withBody(chunk));
        } catch (IOException e) {
            // the kernel is gone; WorkerMain notices on its read side and exits
        }
    }
}

package dev.ferry.remote.worker;

import dev.ferry.remote.protocol.Frame;
import dev.ferry.remote.protocol.FrameCodec;
import dev.ferry.remote.protocol.Ops;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code System.in} of the worker: a read with nothing buffered sends an {@code input_request} frame and
 * waits for the kernel's {@code input_reply} (the frontend's answer plus a newline). A refused request
 * (the frontend does not allow stdin) or an interrupt reads as end of input.
 */
final class InputChannel extends InputStream {
    private final FrameCodec codec;
    private final CellIds cells;
    private final Runnable flushOutput;
    private final AtomicLong rids = new AtomicLong();
    private volatile CompletableFuture<String> pending;
    private volatile long pendingRid;
    private byte[] buf = new byte[0];
    private int pos;
    private boolean eof;

    InputChannel(FrameCodec codec, CellIds cells, Runnable flushOutput) {
        this.codec = codec;
        this.cells = cells;
        this.flushOutput = flushOutput;
    }

    @Override
    public synchronized int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return buf[pos++] & 0xFF;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(len, buf.length - pos);
        System.arraycopy(buf, pos, b, off, n);
        pos += n;
        return n;
    }

    @Override
    public synchronized int available() {
        return buf.length - pos;
    }

    /** New cell: forget an end of input seen by the previous one. */
    synchronized void newCell() {
        eof = false;
        buf = new byte[0];
        pos = 0;
    }

    private boolean fill() throws IOException {
        if (pos < buf.length) {
            return true;
        }
        if (eof) {
            return false;
        }
        flushOutput.run();
        long rid = rids.incrementAndGet();
        CompletableFuture<String> f = new CompletableFuture<>();
        pendingRid = rid;
        pending = f;
        codec.write(Frame.of(Ops.INPUT_REQUEST, cells.current()).with("rid", rid).with("prompt", "").with("password", false));
        String value;
        try {
            value = f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            value = null;
        } catch (ExecutionException e) {
            value = null;
        } finally {
            pending = null;
        }
        if (value == null) {
            eof = true;
            return false;
        }
        buf = (value + "\n").getBytes(StandardCharsets.UTF_8);
        pos = 0;
        return true;
    }

    /** An {@code input_reply} frame arrived: {@code value} null means refused. */
    void answer(long rid, String value) {
        CompletableFuture<String> f = pending;
        if (f != null && pendingRid == rid) {
            f.complete(value);
        }
    }

    /** Interrupt: a read waiting for the frontend ends as end of input. */
    void cancel() {
        CompletableFuture<String> f = pending;
        if (f != null) {
            f.complete(null);
        }
    }
}

package dev.ferry.arrow;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Arrow IPC stream format (schema message, record batches, end-of-stream marker) for {@link Table}s. Batches are
 * written as the table holds them (no per-row work, no re-batching) and read back by transferring buffers.
 * Streams are not closed by these methods, so one can sit inside a framed protocol body.
 */
public final class ArrowIpc {
    private ArrowIpc() {
    }

    private static final int CHUNK = 256 * 1024;

    /** Writes the table to {@code out} as one Arrow IPC stream and flushes it; returns the bytes written. */
    public static long write(Table table, OutputStream out) throws IOException {
        OutChannel ch = new OutChannel(out);
        long n = write(table, (WritableByteChannel) ch);
        ch.flush();
        return n;
    }

    /**
     * Writes the table to a channel (a pipe, socket or file): Arrow's off-heap buffers go to the channel without an
     * intermediate heap copy. The channel is not closed. (Measured on a 2-core VM through an OS pipe, this was NOT
     * faster than {@link #write(Table, OutputStream)}: see docs/arrow.md.)
     */
    public static long write(Table table, WritableByteChannel ch) throws IOException {
        table.checkOpen();
        WriteChannel wc = new WriteChannel(ch);
        IpcOption opt = IpcOption.DEFAULT;
        MessageSerializer.serialize(wc, table.schema(), opt);
        for (VectorSchemaRoot b : table.batches()) {
            try (ArrowRecordBatch rb = new VectorUnloader(b).getRecordBatch()) {
                MessageSerializer.serialize(wc, rb, opt);
            }
        }
        org.apache.arrow.vector.ipc.ArrowStreamWriter.writeEndOfStream(wc, opt);
        return wc.getCurrentPosition();
    }

    /** Reads one Arrow IPC stream from {@code in} into a table allocated from the default allocator. */
    public static Table read(InputStream in) throws IOException {
        return read(in, null);
    }

    /** Reads one Arrow IPC stream into a table whose memory is a child of {@code allocator}. */
    public static Table read(InputStream in, BufferAllocator allocator) throws IOException {
        return readChannel(new InChannel(in), allocator);
    }

    /**
     * Reads one Arrow IPC stream from a channel straight into Arrow memory (no heap copy). Reads exactly the
     * stream's bytes; the channel is not closed.
     */
    public static Table read(ReadableByteChannel in, BufferAllocator allocator) throws IOException {
        return readChannel(new NonClosing(in), allocator);
    }

    private static Table readChannel(ReadableByteChannel in, BufferAllocator allocator) throws IOException {
        BufferAllocator parent = allocator == null ? Table.defaultAllocator() : allocator;
        try (ArrowStreamReader reader = new ArrowStreamReader(in, parent)) {
            return Table.fromReader(reader, parent);
        }
    }

    /** Keeps ArrowStreamReader.close() from closing the caller's channel. */
    private record NonClosing(ReadableByteChannel in) implements ReadableByteChannel {
        @Override
        public int read(ByteBuffer dst) throws IOException {
            return in.read(dst);
        }

        @Override
        public boolean isOpen() {
            return in.isOpen();
        }

        @Override
        public void close() {
        }
    }

    /** The table as IPC stream bytes. */
    public static byte[] toBytes(Table table) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try {
            write(table, bos);
        } catch (IOException e) {
            throw Table.unchecked(e);
        }
        return bos.toByteArray();
    }

    /** A table from IPC stream bytes. */
    public static Table fromBytes(byte[] bytes) {
        try {
            return read(new ByteArrayInputStream(bytes), null);
        } catch (IOException e) {
            throw Table.unchecked(e);
        }
    }

    /** Buffered channel onto an OutputStream: copies direct buffers in large chunks, never closes the stream. */
    static final class OutChannel implements WritableByteChannel {
        private final OutputStream out;
        private final byte[] buf = new byte[CHUNK];
        private int pos;
        private boolean open = true;

        OutChannel(OutputStream out) {
            this.out = out;
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            int n = src.remaining();
            if (src.hasArray() && n >= CHUNK) {
                drain();
                out.write(src.array(), src.arrayOffset() + src.position(), n);
                src.position(src.limit());
                return n;
            }
            while (src.hasRemaining()) {
                int k = Math.min(src.remaining(), CHUNK - pos);
                src.get(buf, pos, k);
                pos += k;
                if (pos == CHUNK) {
                    drain();
                }
            }
            return n;
        }

        private void drain() throws IOException {
            if (pos > 0) {
                out.write(buf, 0, pos);
                pos = 0;
            }
        }

        void flush() throws IOException {
            drain();
            out.flush();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            flush();
            open = false;
        }
    }

    /** Channel from an InputStream reading in large chunks; close does not close the stream. */
    static final class InChannel implements ReadableByteChannel {
        private final InputStream in;
        private final byte[] buf = new byte[CHUNK];
        private boolean open = true;

        InChannel(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            int want = dst.remaining();
            if (want == 0) {
                return 0;
            }
            int total = 0;
            while (dst.hasRemaining()) {
                int n;
                if (dst.hasArray()) {
                    n = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                    if (n > 0) {
                        dst.position(dst.position() + n);
                    }
                } else {
                    n = in.read(buf, 0, Math.min(CHUNK, dst.remaining()));
                    if (n > 0) {
                        dst.put(buf, 0, n);
                    }
                }
                if (n < 0) {
                    return total == 0 ? -1 : total;
                }
                total += n;
            }
            return total;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}

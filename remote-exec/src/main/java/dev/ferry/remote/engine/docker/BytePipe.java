package dev.ferry.remote.engine.docker;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A one-way byte channel between threads: chunks written are read in order, a read returns what is
 * there without waiting for more, and {@link #close()} is a clean end of stream. Unlike
 * {@code PipedInputStream} it does not break when a writer thread ends, and it needs no flush.
 */
final class BytePipe {
    private static final byte[] EOF = new byte[0];
    private final LinkedBlockingQueue<byte[]> chunks = new LinkedBlockingQueue<>();
    private final In in = new In();
    private final Out out = new Out();

    InputStream in() {
        return in;
    }

    OutputStream out() {
        return out;
    }

    /** Adds a copy of {@code b[off, off+len)}. */
    void write(byte[] b, int off, int len) {
        if (len > 0) {
            byte[] copy = new byte[len];
            System.arraycopy(b, off, copy, 0, len);
            chunks.add(copy);
        }
    }

    void close() {
        chunks.add(EOF);
    }

    private final class In extends InputStream {
        private byte[] current;
        private int pos;
        private boolean ended;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (ended) {
                return -1;
            }
            try {
                while (current == null || pos == current.length) {
                    current = chunks.take();
                    pos = 0;
                    if (current == EOF) {
                        ended = true;
                        chunks.add(EOF); // other readers see the end too
                        return -1;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while reading from the container");
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return current == null ? 0 : current.length - pos;
        }

        @Override
        public void close() {
            ended = true;
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) {
            BytePipe.this.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            BytePipe.this.write(b, off, len);
        }

        @Override
        public void close() {
            BytePipe.this.close();
        }
    }
}

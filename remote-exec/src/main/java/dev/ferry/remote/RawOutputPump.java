package dev.ferry.remote;

import dev.ferry.remote.protocol.Ops;
import dev.ferry.remote.protocol.Utf8;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.LongConsumer;

/**
 * Reads a worker's raw output (descriptors 1 and 2 of the worker: child processes, native code, JVM
 * messages), passes the text on, finds the worker's sync markers, and keeps the last lines for death reports.
 */
final class RawOutputPump implements Runnable {
    private static final byte[] MARK = Ops.RAW_MARK_PREFIX.getBytes(StandardCharsets.UTF_8);
    private static final String SYNC = Ops.RAW_SYNC_PREFIX.substring(Ops.RAW_MARK_PREFIX.length());
    private static final String EXIT = Ops.RAW_EXIT_PREFIX.substring(Ops.RAW_MARK_PREFIX.length());
    private static final int KEEP_LINES = 20;

    private final InputStream in;
    private final BiConsumer<String, String> text;
    private final LongConsumer sync;
    private final Deque<String> last = new ArrayDeque<>();
    private final StringBuilder partialLine = new StringBuilder();
    private byte[] pending = new byte[0];

    private final java.util.function.IntConsumer exit;

    RawOutputPump(InputStream in, BiConsumer<String, String> text, LongConsumer sync) {
        this(in, text, sync, code -> { });
    }

    /** {@code exit}: the exit status a spare's shell reports after its JVM ended ({@link Ops#RAW_EXIT_PREFIX}). */
    RawOutputPump(InputStream in, BiConsumer<String, String> text, LongConsumer sync, java.util.function.IntConsumer exit) {
        this.in = in;
        this.text = text;
        this.sync = sync;
        this.exit = exit;
    }

    @Override
    public void run() {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = in.read(buf)) > 0) {
                accept(buf, n);
            }
        } catch (IOException e) {
            // the worker is gone
        }
        if (pending.length > 0) {
            emit(pending, pending.length);
        }
    }

    /** Visible for tests: feeds bytes as if read from the worker. */
    void accept(byte[] buf, int n) {
        byte[] data = new byte[pending.length + n];
        System.arraycopy(pending, 0, data, 0, pending.length);
        System.arraycopy(buf, 0, data, pending.length, n);
        int from = 0;
        while (true) {
            int m = indexOf(data, MARK, from);
            if (m < 0) {
                break;
            }
            int nl = indexOf(data, new byte[] {'\n'}, m + MARK.length);
            if (nl < 0) {
                emit(Arrays.copyOfRange(data, from, m), m - from);
                pending = Arrays.copyOfRange(data, m, data.length);
                return;
            }
            emit(Arrays.copyOfRange(data, from, m), m - from);
            String mark = new String(data, m + MARK.length, nl - m - MARK.length, StandardCharsets.US_ASCII);
            try {
                if (mark.startsWith(SYNC)) {
                    sync.accept(Long.parseLong(mark.substring(SYNC.length()).trim()));
                } else if (mark.startsWith(EXIT)) {
                    exit.accept(Integer.parseInt(mark.substring(EXIT.length()).trim()));
                }
            } catch (NumberFormatException e) {
                // not ours after all
            }
            from = nl + 1;
        }
        // hold back a tail that may be the start of a marker or of a multi-byte character
        int keep = 0;
        for (int k = Math.min(MARK.length - 1, data.length - from); k > 0; k--) {
            if (regionMatches(data, data.length - k, MARK, k)) {
                keep = k;
                break;
            }
        }
        int end = data.length - keep;
        int complete = from + Utf8.completePrefix(Arrays.copyOfRange(data, from, end), end - from);
        emit(Arrays.copyOfRange(data, from, complete), complete - from);
        pending = Arrays.copyOfRange(data, complete, data.length);
    }

    private void emit(byte[] bytes, int n) {
        if (n <= 0) {
            return;
        }
        String s = new String(bytes, 0, n, StandardCharsets.UTF_8);
        remember(s);
        text.accept("stdout", s);
    }

    private synchronized void remember(String s) {
        partialLine.append(s);
        int nl;
        while ((nl = partialLine.indexOf("\n")) >= 0) {
            last.addLast(partialLine.substring(0, nl));
            partialLine.delete(0, nl + 1);
            if (last.size() > KEEP_LINES) {
                last.removeFirst();
            }
        }
    }

    synchronized List<String> lastLines() {
        List<String> l = new java.util.ArrayList<>(last);
        if (partialLine.length() > 0) {
            l.add(partialLine.toString());
        }
        return l;
    }

    private static boolean regionMatches(byte[] data, int at, byte[] mark, int len) {
        for (int i = 0; i < len; i++) {
            if (data[at + i] != mark[i]) {
                return false;
            }
        }
        return true;
    }

    static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

package dev.ferry.magics;

import java.util.List;

/**
 * The kernel's input history (the same store that answers Jupyter's {@code history_request}), offered to
 * magics as a {@link MagicContext#service}; {@code %history} uses it. In a worker it is a call into the
 * kernel ({@code call} target {@code history}, docs/worker-protocol.md).
 */
public interface KernelHistory {
    /** One executed cell: the kernel session (a kernel start), its execution count and its source. */
    record Entry(long session, int line, String source) {}

    /** The last {@code n} cells of all sessions, oldest first. */
    List<Entry> tail(int n);

    /**
     * Cells {@code start <= line < stop} (stop 0: to the end) of one session: {@code session} &gt; 0 is a
     * session number, 0 the current session, -1 the one before, and so on.
     */
    List<Entry> range(long session, int start, int stop);

    /** Cells whose source matches the glob {@code pattern} ({@code *}, {@code ?}), the last {@code n} (0: all). */
    List<Entry> search(String pattern, int n);
}

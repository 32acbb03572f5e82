package dev.ferry.remote.engine;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * A claimed spare worker ({@link Spares}): a local worker process that is not this kernel's child, reached
 * through the named pipes it was started on. It behaves as a {@link ProcessPlacement}; as it is not our
 * child, its exit code comes from the shell that started it, at the end of its raw output.
 */
public final class SparePlacement implements Placement {
    private final Spares.Claimed claimed;

    public SparePlacement(Spares.Claimed claimed) {
        this.claimed = claimed;
    }

    @Override
    public String id() {
        return Long.toString(claimed.process().pid());
    }

    @Override
    public InputStream frames() {
        return claimed.frames();
    }

    @Override
    public InputStream raw() {
        return claimed.raw();
    }

    @Override
    public OutputStream input() {
        return claimed.input();
    }

    @Override
    public boolean isAlive() {
        return claimed.process().isAlive() && !zombie(claimed.process().pid());
    }

    /** A dead process its new parent (init, a container's first process) has not reaped yet. */
    static boolean zombie(long pid) {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + pid + "/stat"));
            int close = stat.lastIndexOf(')');
            char state = close > 0 && close + 2 < stat.length() ? stat.charAt(close + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (java.io.IOException | RuntimeException e) {
            return false; // gone (isAlive says so) or no /proc
        }
    }

    @Override
    public OptionalInt awaitExit(Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (isAlive() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(5); // not our child: there is nothing to wait on but the pid
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public boolean exitInRawOutput() {
        return true;
    }

    @Override
    public void kill() {
        claimed.process().destroyForcibly();
    }
}

package dev.ferry.remote.engine;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;

/**
 * One running worker placement (a local child process, a container, later a pod): the worker's three
 * byte streams and its life. The {@link dev.ferry.remote.Worker} above speaks the frame protocol over
 * these streams and cannot tell the placements apart.
 */
public interface Placement {
    /** A short id for messages and {@code %remote ls}: a pid or a container id. */
    String id();

    /** Frames from the worker (its descriptor 3). */
    InputStream frames();

    /** Raw output of the worker and its children (descriptors 1 and 2): text for the cell. */
    InputStream raw();

    /** Frames to the worker (its descriptor 4). */
    OutputStream input();

    boolean isAlive();

    /**
     * Called once the worker answered (its hello): applies what was held back to let it start fast, such as a
     * container's CPU limit (a JVM starting on one core takes twice as long). Nothing by default.
     */
    default void started() throws EngineException {
    }

    /** Waits up to {@code wait} for the placement to end and returns its exit code; empty if it still runs. */
    OptionalInt awaitExit(Duration wait);

    /**
     * Whether the exit status comes as a marker at the end of the raw output ({@link
     * dev.ferry.remote.protocol.Ops#RAW_EXIT_PREFIX}) instead of from {@link #awaitExit}: a claimed spare.
     */
    default boolean exitInRawOutput() {
        return false;
    }

    /** Ends the placement now and frees what it holds (a container is removed). Idempotent. */
    void kill();
}

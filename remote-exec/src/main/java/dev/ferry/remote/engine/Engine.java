package dev.ferry.remote.engine;

import dev.ferry.Image;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where workers run: the narrow interface every placement kind implements (process, docker, later
 * kubernetes). Only an implementation imports its client library.
 */
public interface Engine extends AutoCloseable {
    /** {@code process}, {@code docker}, ... */
    String name();

    /**
     * Whether a worker here runs isolated from this host (a container, a pod: its own file system, a memory
     * limit the kernel enforces, the store reached over the worker protocol) rather than as a child process
     * of this host (the process engine: -Xmx for memory, the store file opened directly).
     */
    default boolean isolated() {
        return true;
    }

    /** What a placement of this engine is called in messages ("container", "worker process"). */
    default String placementNoun() {
        return "container";
    }

    /** Whether the engine answers now (a Docker daemon on its socket); cheap enough to call per cell. */
    boolean available();

    /**
     * Why the engine cannot take a placement now, as a message naming the problem and the fix (a certificate that
     * does not verify, no kubeconfig, an API server that does not answer); null when it can.
     */
    default EngineException problem() {
        return available() ? null : new EngineException("the " + name() + " engine does not answer");
    }

    /**
     * Makes {@code image} runnable on this engine and returns its reference: a cached tag is used as it is,
     * otherwise it is built; build output goes to {@code log} line by line.
     */
    String prepare(Image image, Consumer<String> log) throws EngineException;

    /** Creates and starts a worker placement; its streams are connected before the worker starts. */
    Placement start(PlacementSpec spec) throws EngineException;

    /** Placements carrying all of these labels (running or not). */
    List<PlacementInfo> list(Map<String, String> labels) throws EngineException;

    /** Removes a placement by id (forcefully); unknown ids are ignored. */
    void remove(String id) throws EngineException;

    /** What {@link #list} reports about one placement. */
    record PlacementInfo(String id, String image, String state, Map<String, String> labels) {}

    @Override
    default void close() {}
}

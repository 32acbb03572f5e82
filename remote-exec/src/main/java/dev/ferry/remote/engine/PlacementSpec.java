package dev.ferry.remote.engine;

import dev.ferry.gpu.GpuSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a worker placement needs.
 *
 * @param image      the engine's image reference (from {@link Engine#prepare}); ignored by the process engine
 * @param launch     the worker JVM: options, class path on the kernel's host (the engine delivers it to the
 *                   placement), environment; its java is the process engine's (a container runs its own)
 * @param labels     labels the placement carries (kernel, session, cell), for listing and cleanup
 * @param cpus       CPU limit (cores), or null for none
 * @param memoryMiB  memory limit, or null for none
 * @param network    {@code none} (default), {@code host}, or a named network
 * @param gpu        GPUs to attach, or null
 * @param mounts     host directories mounted into the placement (volumes)
 */
public record PlacementSpec(String image, WorkerLaunch launch, Map<String, String> labels, Double cpus,
                            Long memoryMiB, String network, GpuSpec gpu, List<Mount> mounts) {
    public PlacementSpec {
        Objects.requireNonNull(image, "image");
        Objects.requireNonNull(launch, "launch");
        labels = Map.copyOf(labels);
        network = network == null || network.isBlank() ? "none" : network;
        mounts = List.copyOf(mounts);
    }

    /** A host directory at {@code target} in the placement. */
    public record Mount(Path source, String target, boolean readOnly) {}
}

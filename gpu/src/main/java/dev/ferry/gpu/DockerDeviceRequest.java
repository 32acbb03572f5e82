package dev.ferry.gpu;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A Docker Engine API {@code HostConfig.DeviceRequests} entry as plain data, for an engine to map onto its
 * client's type (docker-java's {@code DeviceRequest}: withDriver, withCount, withDeviceIds, withCapabilities,
 * withOptions).
 *
 * <p>Docker selects GPUs by count or by id, never by model: the type a spec asks for is checked inside the
 * container, where {@link Gpu#require(GpuSpec)} compares what the CUDA runtime sees with the spec (or an engine
 * that knows its host's GPUs picks ids with {@link #forDevices(List)}).
 *
 * @param driver       always {@code "nvidia"} here
 * @param count        how many GPUs; {@code -1} for all; 0 when {@code deviceIds} are given (Docker refuses both)
 * @param deviceIds    GPU ids or uuids ({@code "0"}, {@code "GPU-9b1c..."}); empty when {@code count} is used
 * @param capabilities OR-list of AND-lists, {@code [["gpu"]]}
 * @param options      driver options; empty
 */
public record DockerDeviceRequest(String driver, int count, List<String> deviceIds, List<List<String>> capabilities,
                                  Map<String, String> options) {

    public static final String NVIDIA = "nvidia";
    public static final List<List<String>> GPU_CAPABILITIES = List.of(List.of("gpu"));

    /** The message for an engine whose daemon has no NVIDIA runtime. */
    public static final String NO_GPU_RUNTIME_MESSAGE =
            "this engine has no GPU runtime (Docker could not select device driver \"nvidia\": "
                    + "install the NVIDIA Container Toolkit on the engine's host, or run without gpu=)";

    public DockerDeviceRequest {
        Objects.requireNonNull(driver, "driver");
        deviceIds = List.copyOf(deviceIds);
        capabilities = capabilities.stream().map(List::copyOf).toList();
        options = Map.copyOf(options);
        if (!deviceIds.isEmpty() && count != 0) {
            throw new IllegalArgumentException("a device request takes a count or device ids, not both");
        }
        if (deviceIds.isEmpty() && count == 0) {
            throw new IllegalArgumentException("a device request needs a count (-1 for all) or device ids");
        }
    }

    /** {@code count} NVIDIA GPUs, capabilities [["gpu"]]. */
    public static DockerDeviceRequest forCount(int count) {
        if (count < -1 || count == 0) throw new IllegalArgumentException("count must be -1 (all) or positive, got " + count);
        return new DockerDeviceRequest(NVIDIA, count, List.of(), GPU_CAPABILITIES, Map.of());
    }

    /** Every NVIDIA GPU of the host ({@code --gpus all}). */
    public static DockerDeviceRequest all() {
        return forCount(-1);
    }

    /** The NVIDIA GPUs with these ids or uuids. */
    public static DockerDeviceRequest forDevices(List<String> deviceIds) {
        if (deviceIds.isEmpty()) throw new IllegalArgumentException("no device ids");
        return new DockerDeviceRequest(NVIDIA, 0, deviceIds, GPU_CAPABILITIES, Map.of());
    }

    /** {@code choice.count()} NVIDIA GPUs; the type is checked in the container. */
    public static DockerDeviceRequest forChoice(GpuSpec.Choice choice) {
        return forCount(choice.count());
    }

    /** Whether a Docker error (message or HTTP body) means the engine has no NVIDIA runtime. */
    public static boolean isNoGpuRuntimeError(String dockerMessage) {
        if (dockerMessage == null) return false;
        String m = dockerMessage.toLowerCase(Locale.ROOT);
        return m.contains("could not select device driver")
                || m.contains("unknown or invalid runtime name: nvidia");
    }
}

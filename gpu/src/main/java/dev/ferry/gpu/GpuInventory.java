package dev.ferry.gpu;

import java.util.List;
import java.util.Objects;

/**
 * What the CUDA runtime sees: the devices, or none and the reason.
 *
 * @param devices        the GPUs, in CUDA ordinal order; empty when there are none
 * @param reason         why {@code devices} is empty ("no NVIDIA driver (cudaErrorInsufficientDriver)"); "" otherwise
 * @param driverVersion  the CUDA version the driver supports, e.g. 12040 for 12.4; 0 without a driver or when unknown
 * @param runtimeVersion the CUDA runtime JCuda was built with, e.g. 12000; 0 when unknown
 */
public record GpuInventory(List<DeviceInfo> devices, String reason, int driverVersion, int runtimeVersion) {

    public GpuInventory {
        devices = List.copyOf(devices);
        Objects.requireNonNull(reason, "reason");
        if (devices.isEmpty() && reason.isBlank()) throw new IllegalArgumentException("an empty inventory needs a reason");
    }

    /** No GPU, for this reason. */
    public static GpuInventory none(String reason) {
        return new GpuInventory(List.of(), reason, 0, 0);
    }

    /** These devices (for tests and for inventories reported by a worker). */
    public static GpuInventory of(List<DeviceInfo> devices) {
        return new GpuInventory(devices, devices.isEmpty() ? "no CUDA device" : "", 0, 0);
    }

    public boolean isEmpty() {
        return devices.isEmpty();
    }

    /** "12.4", or "" when 0. */
    public static String versionText(int cudaVersion) {
        return cudaVersion <= 0 ? "" : (cudaVersion / 1000) + "." + (cudaVersion % 1000) / 10;
    }
}

package dev.ferry.gpu;

import java.util.Locale;
import java.util.Objects;

/**
 * One GPU as the CUDA runtime reports it.
 *
 * @param index            the CUDA device ordinal (after {@code CUDA_VISIBLE_DEVICES})
 * @param name             e.g. {@code "NVIDIA H100 80GB HBM3"}, {@code "Tesla T4"}
 * @param totalMemoryBytes total global memory in bytes; 0 when unknown
 * @param ccMajor          compute capability, major (e.g. 9 for H100); 0 when unknown
 * @param ccMinor          compute capability, minor
 * @param uuid             {@code GPU-xxxxxxxx-...} as nvidia-smi and Docker's device ids write it, or "" if unknown
 * @param pciBusId         {@code 0000:3b:00.0}, or "" if unknown
 */
public record DeviceInfo(int index, String name, long totalMemoryBytes, int ccMajor, int ccMinor,
                         String uuid, String pciBusId) {

    public DeviceInfo {
        Objects.requireNonNull(name, "name");
        uuid = uuid == null ? "" : uuid;
        pciBusId = pciBusId == null ? "" : pciBusId;
    }

    /** A device known only by name and memory in GiB: for matching and tests. */
    public static DeviceInfo of(String name, double memoryGiB) {
        return new DeviceInfo(0, name, (long) (memoryGiB * (1L << 30)), 0, 0, "", "");
    }

    /** This device under another CUDA ordinal. */
    public DeviceInfo withIndex(int newIndex) {
        return new DeviceInfo(newIndex, name, totalMemoryBytes, ccMajor, ccMinor, uuid, pciBusId);
    }

    /** Total memory in GiB (binary). */
    public double memoryGiB() {
        return totalMemoryBytes / (double) (1L << 30);
    }

    /** "8.0", or "" when unknown. */
    public String computeCapability() {
        return ccMajor > 0 ? ccMajor + "." + ccMinor : "";
    }

    /** "NVIDIA A10G (22 GiB)": the form used in error messages. */
    public String label() {
        return totalMemoryBytes > 0
                ? String.format(Locale.ROOT, "%s (%d GiB)", name, Math.round(memoryGiB()))
                : name;
    }
}

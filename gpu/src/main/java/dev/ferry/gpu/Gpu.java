package dev.ferry.gpu;

import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The GPUs this JVM can use, as the CUDA runtime (through JCuda) reports them.
 *
 * <p>Nothing here throws for a machine without a GPU: {@link #devices()} is then empty and
 * {@link #inventory()}{@code .reason()} says why. The first call loads JCuda's native library (extracted to
 * {@code java.io.tmpdir}) and initialises the CUDA runtime; the result is kept for the life of the JVM, since the
 * runtime does not see devices appear or go later anyway.
 */
public final class Gpu {

    private static volatile GpuInventory cached;

    private Gpu() {
    }

    /** The inventory: devices, or none and why. Never throws. */
    public static GpuInventory inventory() {
        GpuInventory inv = cached;
        if (inv == null) {
            synchronized (Gpu.class) {
                inv = cached;
                if (inv == null) {
                    inv = query();
                    cached = inv;
                }
            }
        }
        return inv;
    }

    /** The GPUs, in CUDA ordinal order; empty (never an exception) when there is no GPU, driver or JCuda. */
    public static List<DeviceInfo> devices() {
        return inventory().devices();
    }

    private static GpuInventory query() {
        try {
            return CudaProbe.query();
        } catch (LinkageError e) {
            // jcuda missing from the class path, or its native library not loadable on this platform
            return GpuInventory.none("JCuda is not usable here (" + e.getClass().getSimpleName() + ": "
                    + firstLine(e.getMessage()) + ")");
        } catch (RuntimeException e) {
            return GpuInventory.none("the CUDA runtime failed: " + e.getClass().getSimpleName() + ": "
                    + firstLine(e.getMessage()));
        }
    }

    /** {@link #require(GpuSpec)} for spec text such as {@code "H100:2,A100-80GB:4"}. */
    public static List<DeviceInfo> require(String spec) {
        return require(GpuSpec.parse(spec));
    }

    /**
     * The devices that satisfy the spec: those of the first choice, in order of preference, that this machine can
     * meet (its count of them).
     *
     * @throws GpuUnavailableException "this machine has no GPU: no NVIDIA driver (...)", or
     *                                 "requested H100 but found: NVIDIA A10G (22 GiB)"
     */
    public static List<DeviceInfo> require(GpuSpec spec) {
        return select(spec, inventory());
    }

    /** {@link #require(GpuSpec)} against a given inventory (one a worker reported, or one made up in a test). */
    public static List<DeviceInfo> select(GpuSpec spec, GpuInventory inventory) {
        if (inventory.isEmpty()) {
            throw new GpuUnavailableException("requested " + spec.describe() + " but this machine has no GPU: "
                    + inventory.reason());
        }
        return spec.select(inventory.devices())
                .map(GpuSpec.Selection::devices)
                .orElseThrow(() -> new GpuUnavailableException("requested " + spec.describe() + " but found: "
                        + inventory.devices().stream().map(DeviceInfo::label).collect(Collectors.joining(", "))));
    }

    /** {@link #describe(GpuInventory)} of this machine's inventory: for {@code %gpu}. */
    public static String describe() {
        return describe(inventory());
    }

    /**
     * A Markdown table of the devices (it reads as plain text too), or one line saying there is no GPU and why.
     */
    public static String describe(GpuInventory inv) {
        StringBuilder sb = new StringBuilder();
        if (inv.isEmpty()) {
            sb.append("No GPU: ").append(inv.reason()).append('\n');
        } else {
            sb.append("| # | name | type | memory | compute capability | uuid |\n");
            sb.append("|---|---|---|---|---|---|\n");
            for (DeviceInfo d : inv.devices()) {
                sb.append("| ").append(d.index())
                        .append(" | ").append(d.name())
                        .append(" | ").append(GpuType.identify(d).map(GpuType::specName).orElse("-"))
                        .append(" | ").append(d.totalMemoryBytes() > 0
                                ? String.format(Locale.ROOT, "%.1f GiB", d.memoryGiB()) : "?")
                        .append(" | ").append(d.computeCapability().isEmpty() ? "?" : d.computeCapability())
                        .append(" | ").append(d.uuid().isEmpty() ? "-" : d.uuid())
                        .append(" |\n");
            }
        }
        if (inv.driverVersion() > 0 || inv.runtimeVersion() > 0) {
            sb.append('\n');
            if (inv.driverVersion() > 0) sb.append("CUDA driver ").append(GpuInventory.versionText(inv.driverVersion()));
            if (inv.driverVersion() > 0 && inv.runtimeVersion() > 0) sb.append(", ");
            if (inv.runtimeVersion() > 0) sb.append("runtime ").append(GpuInventory.versionText(inv.runtimeVersion()));
            sb.append(" (JCuda)\n");
        }
        return sb.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

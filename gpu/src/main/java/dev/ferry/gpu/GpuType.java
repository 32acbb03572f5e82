package dev.ferry.gpu;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.Collectors;

/**
 * The GPU types a spec may name, with their nominal memory. {@link #ANY} stands for every GPU.
 *
 * <p>Matching looks at the device name's tokens (the name split on anything that is not a letter or digit, in
 * upper case), so {@code L4} does not match an {@code L40S} and {@code H200} does not match a {@code GH200}. The
 * two A100 sizes are told apart by the device's memory (below or above 60 GiB), or by a {@code 40GB}/{@code 80GB}
 * token in its name when the memory is not known.
 */
public enum GpuType {
    ANY("any", 0),
    T4("T4", 16),
    L4("L4", 24),
    A10G("A10G", 24),
    L40S("L40S", 48),
    /** Either A100 size; {@link #memoryGiB()} is empty, {@link #memoryText()} says "40 or 80". */
    A100("A100", 0),
    A100_40GB("A100-40GB", 40),
    A100_80GB("A100-80GB", 80),
    H100("H100", 80),
    H200("H200", 141),
    B200("B200", 192);

    /** Above this many GiB an A100 is the 80 GB model (the 40 GB one reports about 39.4 GiB, the 80 GB about 79.2). */
    static final double A100_SPLIT_GIB = 60;

    private final String specName;
    private final int memoryGiB;

    GpuType(String specName, int memoryGiB) {
        this.specName = specName;
        this.memoryGiB = memoryGiB;
    }

    /** The name as written in a spec: {@code any}, {@code T4}, ..., {@code A100-80GB}. */
    public String specName() {
        return specName;
    }

    /** Nominal memory in GiB; empty for {@link #ANY} and for {@link #A100} (40 or 80). */
    public OptionalInt memoryGiB() {
        return memoryGiB > 0 ? OptionalInt.of(memoryGiB) : OptionalInt.empty();
    }

    /** Memory as text for tables and messages: "80", "40 or 80", or "" for {@code any}. */
    public String memoryText() {
        if (this == A100) return "40 or 80";
        return memoryGiB > 0 ? Integer.toString(memoryGiB) : "";
    }

    /** All spec names in declaration order: {@code any, T4, L4, ...}. */
    public static List<String> specNames() {
        return Arrays.stream(values()).map(GpuType::specName).collect(Collectors.toUnmodifiableList());
    }

    /** The type with this spec name (case-insensitive), if any. */
    public static Optional<GpuType> fromSpecName(String name) {
        if (name == null) return Optional.empty();
        for (GpuType t : values()) {
            if (t.specName.equalsIgnoreCase(name.trim())) return Optional.of(t);
        }
        return Optional.empty();
    }

    /** Whether a device with this name and memory is a GPU of this type. */
    public boolean matches(DeviceInfo device) {
        if (this == ANY) return true;
        List<String> tokens = tokens(device.name());
        switch (this) {
            case A100:
                return tokens.contains("A100");
            case A100_40GB:
            case A100_80GB: {
                if (!tokens.contains("A100")) return false;
                boolean big;
                if (device.totalMemoryBytes() > 0) {
                    big = device.memoryGiB() > A100_SPLIT_GIB;
                } else if (tokens.contains("80GB")) {
                    big = true;
                } else if (tokens.contains("40GB")) {
                    big = false;
                } else {
                    return false; // size unknown: neither sized spec can be confirmed
                }
                return big == (this == A100_80GB);
            }
            default:
                return tokens.contains(specName.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * The most specific type this device is, if it is one of the spec names: an A100 comes back as
     * {@code A100-40GB} or {@code A100-80GB} when its size is known. Never {@link #ANY}.
     */
    public static Optional<GpuType> identify(DeviceInfo device) {
        for (GpuType t : List.of(T4, L4, A10G, L40S, A100_40GB, A100_80GB, A100, H100, H200, B200)) {
            if (t.matches(device)) return Optional.of(t);
        }
        return Optional.empty();
    }

    static List<String> tokens(String name) {
        if (name == null) return List.of();
        return Arrays.stream(name.toUpperCase(Locale.ROOT).split("[^A-Z0-9]+"))
                .filter(s -> !s.isEmpty())
                .collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return specName;
    }
}

package dev.ferry.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A parsed {@code gpu=} value: one or more choices in order of preference, each a {@link GpuType} and a count.
 *
 * <pre>
 *   spec   := choice ( "," choice )*
 *   choice := name [ ":" count ]          name: any T4 L4 A10G L40S A100 A100-40GB A100-80GB H100 H200 B200
 *                                          (case-insensitive); count: 1..8, default 1
 * </pre>
 *
 * <p>{@code H100:2,A100-80GB:4} asks for two H100s, or else four 80 GB A100s. Spaces around names, counts and
 * commas are allowed. {@link #toString()} writes the canonical form, which parses back to an equal spec.
 */
public final class GpuSpec {

    public static final int MIN_COUNT = 1;
    public static final int MAX_COUNT = 8;

    /** One alternative of a spec: a GPU type and how many of them. */
    public record Choice(GpuType type, int count) {
        public Choice {
            Objects.requireNonNull(type, "type");
            if (count < MIN_COUNT || count > MAX_COUNT) {
                throw new IllegalArgumentException("GPU count must be " + MIN_COUNT + ".." + MAX_COUNT + ", got " + count);
            }
        }

        /** Nominal memory per GPU in GiB, or empty where it is not one number ({@code any}, {@code A100}). */
        public java.util.OptionalInt memoryGiB() {
            return type.memoryGiB();
        }

        /** Whether one device is of this choice's type (the count is not considered). */
        public boolean matches(DeviceInfo device) {
            return type.matches(device);
        }

        /** The Docker device request for this choice: driver nvidia, {@code count} GPUs, capabilities [["gpu"]]. */
        public DockerDeviceRequest toDockerDeviceRequest() {
            return DockerDeviceRequest.forChoice(this);
        }

        @Override
        public String toString() {
            return count == 1 ? type.specName() : type.specName() + ":" + count;
        }
    }

    private final List<Choice> choices;

    private GpuSpec(List<Choice> choices) {
        this.choices = List.copyOf(choices);
    }

    /** A spec with the given choices in order of preference. */
    public static GpuSpec of(Choice first, Choice... more) {
        List<Choice> list = new ArrayList<>();
        list.add(first);
        list.addAll(List.of(more));
        return new GpuSpec(list);
    }

    /** {@code count} GPUs of one type. */
    public static GpuSpec of(GpuType type, int count) {
        return of(new Choice(type, count));
    }

    /**
     * Parses a spec such as {@code H100}, {@code a100-80gb:2}, {@code H100:2,A100-80GB:4} or {@code any}.
     *
     * @throws IllegalArgumentException with a message that names the problem, the valid names or the allowed count
     */
    public static GpuSpec parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty GPU spec; write a GPU type such as 'H100', 'A100-80GB:2' or 'any'."
                    + " Valid: " + validNames());
        }
        String[] parts = spec.split(",", -1);
        List<Choice> choices = new ArrayList<>();
        for (int i = 0; i < parts.length; i++) {
            String part = parts[i].trim();
            if (part.isEmpty()) {
                throw new IllegalArgumentException("empty choice at position " + (i + 1) + " in GPU spec '" + spec
                        + "'; separate choices with single commas, e.g. 'H100,A100-80GB:2'");
            }
            Choice c = parseChoice(part, spec);
            if (choices.contains(c)) {
                throw new IllegalArgumentException("GPU spec '" + spec + "' lists '" + c + "' twice");
            }
            choices.add(c);
        }
        return new GpuSpec(choices);
    }

    private static Choice parseChoice(String part, String spec) {
        String name = part;
        int count = 1;
        int colon = part.indexOf(':');
        if (colon >= 0) {
            name = part.substring(0, colon).trim();
            String countText = part.substring(colon + 1).trim();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("missing GPU type before ':' in '" + part + "' (GPU spec '" + spec
                        + "'). Valid: " + validNames());
            }
            count = parseCount(countText, name, part);
        }
        String finalName = name;
        GpuType type = GpuType.fromSpecName(name).orElseThrow(() -> unknownType(finalName));
        return new Choice(type, count);
    }

    private static int parseCount(String text, String name, String part) {
        String range = "a whole number from " + MIN_COUNT + " to " + MAX_COUNT;
        if (text.isEmpty()) {
            throw new IllegalArgumentException("missing GPU count after ':' in '" + part + "'; the count must be "
                    + range + ", e.g. '" + name + ":2'");
        }
        if (!text.chars().allMatch(ch -> ch >= '0' && ch <= '9')) {
            throw new IllegalArgumentException("GPU count '" + text + "' in '" + part + "' is not a number; the count must be "
                    + range);
        }
        int n;
        try {
            n = Integer.parseInt(text);
        } catch (NumberFormatException e) { // too many digits
            n = Integer.MAX_VALUE;
        }
        if (n < MIN_COUNT || n > MAX_COUNT) {
            throw new IllegalArgumentException("GPU count " + text + " in '" + part + "' is out of range; the count must be "
                    + range);
        }
        return n;
    }

    private static IllegalArgumentException unknownType(String name) {
        StringBuilder msg = new StringBuilder("unknown GPU type '").append(name).append("'; ");
        closestName(name).ifPresent(s -> msg.append("did you mean '").append(s).append("'? "));
        msg.append("Valid: ").append(validNames());
        return new IllegalArgumentException(msg.toString());
    }

    /** "any, T4, L4, A10G, L40S, A100, A100-40GB, A100-80GB, H100, H200, B200" */
    public static String validNames() {
        return String.join(", ", GpuType.specNames());
    }

    /** The valid name closest to {@code name} (edit distance, ignoring case), if it is close enough to suggest. */
    static Optional<String> closestName(String name) {
        String n = name.toUpperCase(Locale.ROOT);
        String best = null;
        int bestDist = Integer.MAX_VALUE;
        for (String candidate : GpuType.specNames()) {
            int d = editDistance(n, candidate.toUpperCase(Locale.ROOT));
            if (d < bestDist) {
                bestDist = d;
                best = candidate;
            }
        }
        int allowed = Math.max(1, Math.min(3, n.length() / 2));
        if (best != null && bestDist <= allowed) return Optional.of(best);
        // "NVIDIA H100 80GB HBM3", "a100_80gb": a valid name hidden in a longer word
        for (String candidate : List.of("A100-80GB", "A100-40GB", "L40S", "A10G", "H100", "H200", "B200", "A100", "T4", "L4")) {
            String c = candidate.toUpperCase(Locale.ROOT);
            if (n.replace('_', '-').contains(c)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    private static int editDistance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }

    /** The choices, most preferred first. */
    public List<Choice> choices() {
        return choices;
    }

    /** The most preferred choice. */
    public Choice first() {
        return choices.get(0);
    }

    /** Whether this device is of a type some choice asks for. */
    public boolean matches(DeviceInfo device) {
        return choices.stream().anyMatch(c -> c.matches(device));
    }

    /**
     * The first choice, in order of preference, that these devices satisfy (at least {@code count} of them match
     * its type), with the devices it would use (the first {@code count} matching ones).
     */
    public Optional<Selection> select(List<DeviceInfo> devices) {
        for (Choice c : choices) {
            List<DeviceInfo> matching = devices.stream().filter(c::matches).collect(Collectors.toList());
            if (matching.size() >= c.count()) {
                return Optional.of(new Selection(c, List.copyOf(matching.subList(0, c.count()))));
            }
        }
        return Optional.empty();
    }

    /** The choice a set of devices satisfied, and the devices picked for it. */
    public record Selection(Choice choice, List<DeviceInfo> devices) {
    }

    /** How a person would say it: "H100", "2 x H100 or 4 x A100-80GB". */
    public String describe() {
        return choices.stream()
                .map(c -> c.count() == 1 ? c.type().specName() : c.count() + " x " + c.type().specName())
                .collect(Collectors.joining(" or "));
    }

    /** The canonical spec text, e.g. {@code H100:2,A100-80GB:4}; {@code parse(toString())} equals this spec. */
    @Override
    public String toString() {
        return choices.stream().map(Choice::toString).collect(Collectors.joining(","));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GpuSpec && ((GpuSpec) o).choices.equals(choices);
    }

    @Override
    public int hashCode() {
        return choices.hashCode();
    }
}

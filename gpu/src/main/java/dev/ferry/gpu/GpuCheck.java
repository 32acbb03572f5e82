package dev.ferry.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * The GPU self-check that {@code install/gpu-check.sh} runs: prints the inventory, checks that every device found
 * is matched by the spec of its own type (and by {@code any}), that {@code Gpu.require} picks it, and uses each
 * device for real (allocate, clear, free).
 *
 * <pre>
 *   java -cp ... dev.ferry.gpu.GpuCheck [--expect-count N] [--spec SPEC] [--require-gpu]
 * </pre>
 *
 * Exit status: 0 all checks passed (or no GPU and {@code --require-gpu} not given), 1 a check failed, 2 bad
 * arguments, 3 no GPU but {@code --require-gpu}.
 */
public final class GpuCheck {

    private GpuCheck() {
    }

    public static void main(String[] args) {
        int expectCount = -1;
        String spec = null;
        boolean requireGpu = false;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--expect-count": expectCount = Integer.parseInt(args[++i]); break;
                    case "--spec": spec = args[++i]; break;
                    case "--require-gpu": requireGpu = true; break;
                    default: throw new IllegalArgumentException("unknown argument " + args[i]);
                }
            }
            if (spec != null) GpuSpec.parse(spec);
        } catch (RuntimeException e) {
            System.err.println("usage: GpuCheck [--expect-count N] [--spec SPEC] [--require-gpu]: " + e.getMessage());
            System.exit(2);
        }
        System.exit(run(Gpu.inventory(), expectCount, spec, requireGpu, true));
    }

    /** The checks, against a given inventory; returns the exit status. {@code exercise} uses the devices for real. */
    static int run(GpuInventory inv, int expectCount, String spec, boolean requireGpu, boolean exercise) {
        System.out.println("== Gpu.describe()");
        System.out.print(Gpu.describe(inv));
        List<String> failures = new ArrayList<>();
        if (inv.isEmpty()) {
            System.out.println("no GPU: " + inv.reason());
            if (expectCount > 0) failures.add("nvidia-smi lists " + expectCount + " GPU(s) but the CUDA runtime sees none: " + inv.reason());
            if (spec != null) failures.add("--spec " + spec + " given but there is no GPU");
            if (failures.isEmpty() && requireGpu) {
                System.out.println("FAIL: --require-gpu and no GPU");
                return 3;
            }
            return report(failures);
        }
        if (expectCount >= 0 && expectCount != inv.devices().size()) {
            failures.add("expected " + expectCount + " GPU(s) (nvidia-smi), the CUDA runtime sees " + inv.devices().size());
        }
        for (DeviceInfo d : inv.devices()) {
            System.out.println("== device " + d.index() + ": " + d.label() + ", compute capability " + d.computeCapability()
                    + (d.uuid().isEmpty() ? "" : ", " + d.uuid()));
            if (!GpuSpec.parse("any").matches(d)) failures.add("'any' does not match " + d.label());
            var type = GpuType.identify(d);
            if (type.isEmpty()) {
                System.out.println("   not one of the spec names (" + GpuSpec.validNames() + "); only 'any' applies");
            } else {
                GpuSpec own = GpuSpec.parse(type.get().specName());
                System.out.println("   identified as " + own + " (nominal " + type.get().memoryText() + " GiB)");
                if (!own.matches(d)) failures.add(own + " does not match " + d.label());
                if (type.get() == GpuType.A100_40GB || type.get() == GpuType.A100_80GB) {
                    if (!GpuSpec.parse("A100").matches(d)) failures.add("A100 does not match " + d.label());
                }
                boolean mig = GpuType.tokens(d.name()).contains("MIG"); // a MIG slice has a part of the memory
                if (type.get().memoryGiB().isPresent() && !mig) {
                    double nominal = type.get().memoryGiB().getAsInt();
                    // reported memory is a little under the nominal size (ECC, reserved); H100 NVL has 94
                    if (d.memoryGiB() < nominal * 0.85 || d.memoryGiB() > nominal * 1.25) {
                        failures.add(d.label() + " has " + Math.round(d.memoryGiB()) + " GiB, nominal " + own + " is "
                                + (int) nominal + " GiB");
                    }
                }
                try {
                    List<DeviceInfo> picked = Gpu.select(own, inv);
                    if (!picked.contains(d) && picked.stream().noneMatch(p -> p.name().equals(d.name()))) {
                        failures.add("require(" + own + ") did not pick " + d.label());
                    }
                } catch (GpuUnavailableException e) {
                    failures.add("require(" + own + ") failed: " + e.getMessage());
                }
            }
            if (exercise) {
                try {
                    System.out.println("   " + CudaProbe.exercise(d.index()));
                } catch (RuntimeException | LinkageError e) {
                    failures.add("device " + d.index() + " not usable: " + e.getMessage());
                }
            }
        }
        try {
            List<DeviceInfo> all = Gpu.select(GpuSpec.of(GpuType.ANY, Math.min(inv.devices().size(), GpuSpec.MAX_COUNT)), inv);
            System.out.println("== require(any:" + all.size() + ") -> " + all.size() + " device(s)");
        } catch (GpuUnavailableException e) {
            failures.add("require(any:N) failed: " + e.getMessage());
        }
        if (spec != null) {
            try {
                List<DeviceInfo> picked = Gpu.select(GpuSpec.parse(spec), inv);
                System.out.println("== require(" + spec + ") -> " + picked.stream().map(DeviceInfo::label).toList());
            } catch (GpuUnavailableException e) {
                failures.add(e.getMessage());
            }
        }
        return report(failures);
    }

    private static int report(List<String> failures) {
        if (failures.isEmpty()) {
            System.out.println("OK");
            return 0;
        }
        failures.forEach(f -> System.out.println("FAIL: " + f));
        return 1;
    }
}

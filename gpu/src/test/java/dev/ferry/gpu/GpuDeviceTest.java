package dev.ferry.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Behaviour that needs a real NVIDIA GPU. Skipped, with the reason printed, where there is none (so the default
 * build passes on CPU-only machines); {@code install/gpu-check.sh} runs it with {@code -Dgroups=gpu}.
 */
@Tag("gpu")
class GpuDeviceTest {

    private GpuInventory inv;

    @BeforeEach
    void needsAGpu() {
        inv = Gpu.inventory();
        if (inv.isEmpty()) System.out.println("[gpu] skipping GPU test: no GPU: " + inv.reason());
        Assumptions.assumeFalse(inv.isEmpty(), () -> "no GPU: " + inv.reason());
    }

    @Test
    void devicesAreDescribedSanely() {
        List<DeviceInfo> devices = Gpu.devices();
        assertTrue(inv.driverVersion() > 0, "a driver version");
        var uuids = new HashSet<String>();
        for (int i = 0; i < devices.size(); i++) {
            DeviceInfo d = devices.get(i);
            System.out.println("[gpu] " + d);
            assertEquals(i, d.index());
            assertFalse(d.name().isBlank());
            assertFalse(d.name().startsWith("CUDA device"), "properties readable: " + d.name());
            assertTrue(d.memoryGiB() > 1, d.label());
            assertTrue(d.ccMajor() >= 3, d.computeCapability());
            assertTrue(d.uuid().matches("GPU-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), d.uuid());
            assertTrue(uuids.add(d.uuid()), "uuids are distinct");
        }
        System.out.print(Gpu.describe());
    }

    @Test
    void everyDeviceMatchesItsOwnTypeAndAny() {
        for (DeviceInfo d : Gpu.devices()) {
            assertTrue(GpuSpec.parse("any").matches(d));
            Optional<GpuType> type = GpuType.identify(d);
            System.out.println("[gpu] " + d.label() + " -> " + type.map(GpuType::specName).orElse("(no spec name)"));
            type.ifPresent(t -> {
                assertTrue(GpuSpec.parse(t.specName()).matches(d));
                assertFalse(Gpu.require(GpuSpec.parse(t.specName())).isEmpty());
            });
        }
        int n = Math.min(Gpu.devices().size(), GpuSpec.MAX_COUNT);
        assertEquals(n, Gpu.require("any:" + n).size());
    }

    @Test
    void aDeviceCanBeUsed() {
        for (DeviceInfo d : Gpu.devices()) {
            String result = CudaProbe.exercise(d.index());
            System.out.println("[gpu] device " + d.index() + ": " + result);
        }
    }
}

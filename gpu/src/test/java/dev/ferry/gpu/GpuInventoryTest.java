package dev.ferry.gpu;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class GpuInventoryTest {

    private static final DeviceInfo A10G = new DeviceInfo(0, "NVIDIA A10G", 23_028_498_432L, 8, 6,
            "GPU-3f1c2a9e-7b3d-4c5e-9a1b-2c3d4e5f6a7b", "0000:00:1e.0");
    private static final DeviceInfo H100 = new DeviceInfo(0, "NVIDIA H100 80GB HBM3", 85_045_510_144L, 9, 0, "", "");

    @Test
    void devicesNeverThrowAndAnEmptyListHasAReason() {
        GpuInventory inv = assertDoesNotThrow(Gpu::inventory);
        List<DeviceInfo> devices = assertDoesNotThrow(Gpu::devices);
        assertEquals(inv.devices(), devices);
        assertSame(inv, Gpu.inventory(), "the inventory is queried once");
        if (devices.isEmpty()) {
            assertFalse(inv.reason().isBlank(), "an empty inventory says why");
            System.out.println("[gpu] Gpu.devices() is empty: " + inv.reason());
        } else {
            assertEquals("", inv.reason());
        }
        assertFalse(Gpu.describe().isBlank());
    }

    @Test
    void withoutADriverTheReasonSaysSo() {
        Assumptions.assumeFalse(Files.exists(Path.of("/proc/driver/nvidia/version")),
                "this machine has an NVIDIA driver loaded");
        GpuInventory inv = Gpu.inventory();
        assertTrue(inv.isEmpty());
        assertEquals("no NVIDIA driver (cudaErrorInsufficientDriver)", inv.reason());
        assertEquals(0, inv.driverVersion());
        assertTrue(inv.runtimeVersion() >= 12000, "JCuda 12 runtime: " + inv.runtimeVersion());
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class, () -> Gpu.require("H100"));
        assertEquals("requested H100 but this machine has no GPU: no NVIDIA driver (cudaErrorInsufficientDriver)",
                e.getMessage());
        assertTrue(Gpu.describe().startsWith("No GPU: no NVIDIA driver (cudaErrorInsufficientDriver)"), Gpu.describe());
    }

    @Test
    void requireRejectsABadSpecBeforeLookingAtDevices() {
        assertThrows(IllegalArgumentException.class, () -> Gpu.require("H10"));
    }

    @Test
    void selectNamesWhatWasFound() {
        GpuUnavailableException e = assertThrows(GpuUnavailableException.class,
                () -> Gpu.select(GpuSpec.parse("H100"), GpuInventory.of(List.of(A10G))));
        assertEquals("requested H100 but found: NVIDIA A10G (21 GiB)", e.getMessage());

        e = assertThrows(GpuUnavailableException.class,
                () -> Gpu.select(GpuSpec.parse("H100:2,A100-80GB:4"), GpuInventory.of(List.of(H100))));
        assertEquals("requested 2 x H100 or 4 x A100-80GB but found: NVIDIA H100 80GB HBM3 (79 GiB)", e.getMessage());

        e = assertThrows(GpuUnavailableException.class,
                () -> Gpu.select(GpuSpec.parse("any"), GpuInventory.none("no NVIDIA driver (cudaErrorInsufficientDriver)")));
        assertEquals("requested any but this machine has no GPU: no NVIDIA driver (cudaErrorInsufficientDriver)",
                e.getMessage());
    }

    @Test
    void selectReturnsTheMatchingDevices() {
        DeviceInfo h1 = new DeviceInfo(1, H100.name(), H100.totalMemoryBytes(), 9, 0, "", "");
        GpuInventory inv = GpuInventory.of(List.of(A10G.withIndex(0), H100.withIndex(1), h1.withIndex(2)));
        assertEquals(List.of(H100.withIndex(1)), Gpu.select(GpuSpec.parse("H100"), inv));
        assertEquals(2, Gpu.select(GpuSpec.parse("H100:2"), inv).size());
        assertEquals(List.of(A10G.withIndex(0)), Gpu.select(GpuSpec.parse("H100:4,A10G"), inv));
        assertEquals(3, Gpu.select(GpuSpec.parse("any:3"), inv).size());
    }

    @Test
    void describeIsAMarkdownTable() {
        String text = Gpu.describe(new GpuInventory(List.of(A10G), "", 12040, 12000));
        assertEquals("| # | name | type | memory | compute capability | uuid |\n"
                + "|---|---|---|---|---|---|\n"
                + "| 0 | NVIDIA A10G | A10G | 21.4 GiB | 8.6 | GPU-3f1c2a9e-7b3d-4c5e-9a1b-2c3d4e5f6a7b |\n"
                + "\n"
                + "CUDA driver 12.4, runtime 12.0 (JCuda)\n", text);
        assertEquals("No GPU: no CUDA device\n", Gpu.describe(GpuInventory.none("no CUDA device")));
    }

    @Test
    void reasons() {
        assertEquals("no NVIDIA driver (cudaErrorInsufficientDriver)", CudaProbe.reasonFor(35, 0, 12000));
        assertEquals("the NVIDIA driver supports CUDA 11.4 but this CUDA runtime needs 12.0 (cudaErrorInsufficientDriver)",
                CudaProbe.reasonFor(35, 11040, 12000));
        assertTrue(CudaProbe.reasonFor(100, 12040, 12000).startsWith("no CUDA device (cudaErrorNoDevice)"));
        assertEquals("the CUDA runtime failed: CUDA error 99999", CudaProbe.reasonFor(99999, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new GpuInventory(List.of(), " ", 0, 0));
    }

    @Test
    void checkMainAgainstMadeUpInventories() {
        assertEquals(0, GpuCheck.run(GpuInventory.of(List.of(A10G, H100.withIndex(1))), 2, "H100,A10G", false, false));
        assertEquals(1, GpuCheck.run(GpuInventory.of(List.of(A10G)), 2, null, false, false), "count mismatch");
        assertEquals(1, GpuCheck.run(GpuInventory.of(List.of(A10G)), -1, "H100", false, false), "spec not met");
        // an A10G that reports 80 GiB is not what its name says
        assertEquals(1, GpuCheck.run(GpuInventory.of(List.of(DeviceInfo.of("NVIDIA A10G", 80))), -1, null, false, false));
        GpuInventory none = GpuInventory.none("no NVIDIA driver (cudaErrorInsufficientDriver)");
        assertEquals(0, GpuCheck.run(none, -1, null, false, false));
        assertEquals(3, GpuCheck.run(none, -1, null, true, false));
        assertEquals(1, GpuCheck.run(none, 1, null, false, false), "nvidia-smi sees a GPU, CUDA does not");
    }
}

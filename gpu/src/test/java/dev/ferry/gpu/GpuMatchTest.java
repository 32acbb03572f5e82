package dev.ferry.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Matching against device names as the CUDA runtime / nvidia-smi report them, with their real memory sizes. */
class GpuMatchTest {

    /** name; memory GiB as reported; the types that must match (all others must not). */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "Tesla T4;14.6;T4",
            "NVIDIA L4;22.0;L4",
            "NVIDIA A10G;22.0;A10G",
            "NVIDIA L40S;44.4;L40S",
            "NVIDIA A100-SXM4-40GB;39.4;A100 A100-40GB",
            "NVIDIA A100-PCIE-40GB;39.4;A100 A100-40GB",
            "NVIDIA A100-SXM4-80GB;79.2;A100 A100-80GB",
            "NVIDIA A100 80GB PCIe;79.2;A100 A100-80GB",
            "NVIDIA H100 80GB HBM3;79.1;H100",
            "NVIDIA H100 PCIe;79.1;H100",
            "NVIDIA H100 NVL;93.1;H100",
            "NVIDIA H200;139.8;H200",
            "NVIDIA H200 NVL;139.8;H200",
            "NVIDIA B200;178.4;B200",
            // lookalikes that are none of the spec types
            "NVIDIA L40;44.4;",
            "NVIDIA A10;22.0;",
            "NVIDIA GH200 480GB;94.5;",
            "NVIDIA GeForce RTX 4090;23.5;",
            "Tesla V100-SXM2-16GB;15.8;",
            "NVIDIA RTX A6000;47.5;",
            "NVIDIA H800;79.1;",
    })
    void realDeviceNames(String name, double gib, String expected) {
        DeviceInfo d = DeviceInfo.of(name, gib);
        Set<GpuType> want = EnumSet.of(GpuType.ANY);
        if (expected != null) for (String s : expected.split(" ")) want.add(GpuType.fromSpecName(s).orElseThrow());
        for (GpuType t : GpuType.values()) {
            assertEquals(want.contains(t), t.matches(d), t + " vs " + name);
            assertEquals(want.contains(t), GpuSpec.parse(t.specName()).matches(d), "spec " + t + " vs " + name);
        }
    }

    @Test
    void identifyPicksTheMostSpecificType() {
        assertEquals(Optional.of(GpuType.A100_80GB), GpuType.identify(DeviceInfo.of("NVIDIA A100-SXM4-80GB", 79.2)));
        assertEquals(Optional.of(GpuType.A100_40GB), GpuType.identify(DeviceInfo.of("NVIDIA A100-PCIE-40GB", 39.4)));
        assertEquals(Optional.of(GpuType.H100), GpuType.identify(DeviceInfo.of("NVIDIA H100 80GB HBM3", 79.1)));
        assertEquals(Optional.of(GpuType.T4), GpuType.identify(DeviceInfo.of("Tesla T4", 14.6)));
        assertEquals(Optional.empty(), GpuType.identify(DeviceInfo.of("NVIDIA GeForce RTX 4090", 23.5)));
    }

    @Test
    void a100SizeFromNameWhenMemoryUnknown() {
        DeviceInfo d80 = new DeviceInfo(0, "NVIDIA A100-SXM4-80GB", 0, 8, 0, "", "");
        DeviceInfo d40 = new DeviceInfo(0, "NVIDIA A100-SXM4-40GB", 0, 8, 0, "", "");
        DeviceInfo unknown = new DeviceInfo(0, "NVIDIA A100", 0, 8, 0, "", "");
        assertTrue(GpuType.A100_80GB.matches(d80));
        assertFalse(GpuType.A100_40GB.matches(d80));
        assertTrue(GpuType.A100_40GB.matches(d40));
        assertTrue(GpuType.A100.matches(unknown));
        assertFalse(GpuType.A100_40GB.matches(unknown));
        assertFalse(GpuType.A100_80GB.matches(unknown));
    }

    @Test
    void fallbackSpecMatchesAnyOfItsChoices() {
        GpuSpec spec = GpuSpec.parse("H100,A100-80GB:2");
        assertTrue(spec.matches(DeviceInfo.of("NVIDIA H100 80GB HBM3", 79.1)));
        assertTrue(spec.matches(DeviceInfo.of("NVIDIA A100-SXM4-80GB", 79.2)));
        assertFalse(spec.matches(DeviceInfo.of("NVIDIA A100-SXM4-40GB", 39.4)));
        assertFalse(spec.matches(DeviceInfo.of("NVIDIA A10G", 22)));
    }

    @Test
    void selectTakesTheFirstChoiceTheDevicesMeet() {
        DeviceInfo a0 = new DeviceInfo(0, "NVIDIA A100-SXM4-80GB", 85_000_000_000L, 8, 0, "GPU-a0", "");
        DeviceInfo a1 = new DeviceInfo(1, "NVIDIA A100-SXM4-80GB", 85_000_000_000L, 8, 0, "GPU-a1", "");
        DeviceInfo a2 = new DeviceInfo(2, "NVIDIA A100-SXM4-80GB", 85_000_000_000L, 8, 0, "GPU-a2", "");
        List<DeviceInfo> devs = List.of(a0, a1, a2);

        GpuSpec.Selection s = GpuSpec.parse("H100,A100-80GB:2").select(devs).orElseThrow();
        assertEquals(new GpuSpec.Choice(GpuType.A100_80GB, 2), s.choice());
        assertEquals(List.of(a0, a1), s.devices());

        assertEquals(Optional.empty(), GpuSpec.parse("A100:4").select(devs));
        assertEquals(3, GpuSpec.parse("A100:4,any:3").select(devs).orElseThrow().devices().size());
        assertEquals(Optional.empty(), GpuSpec.parse("any").select(List.of()));
    }
}

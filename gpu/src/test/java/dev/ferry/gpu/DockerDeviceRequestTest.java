package dev.ferry.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class DockerDeviceRequestTest {

    @Test
    void choiceBecomesCountRequest() {
        DockerDeviceRequest r = GpuSpec.parse("H100:2").first().toDockerDeviceRequest();
        assertEquals("nvidia", r.driver());
        assertEquals(2, r.count());
        assertEquals(List.of(), r.deviceIds());
        assertEquals(List.of(List.of("gpu")), r.capabilities());
        assertEquals(Map.of(), r.options());
        assertEquals(r, DockerDeviceRequest.forCount(2));
    }

    @Test
    void everyChoiceOfAFallbackSpecMaps() {
        List<DockerDeviceRequest> rs = GpuSpec.parse("H100,A100-80GB:4,any:8").choices().stream()
                .map(GpuSpec.Choice::toDockerDeviceRequest).toList();
        assertEquals(List.of(1, 4, 8), rs.stream().map(DockerDeviceRequest::count).toList());
        rs.forEach(r -> assertEquals("nvidia", r.driver()));
    }

    @Test
    void deviceIdsAndAll() {
        DockerDeviceRequest ids = DockerDeviceRequest.forDevices(List.of("GPU-1234", "1"));
        assertEquals(0, ids.count());
        assertEquals(List.of("GPU-1234", "1"), ids.deviceIds());
        assertEquals(List.of(List.of("gpu")), ids.capabilities());
        assertEquals(-1, DockerDeviceRequest.all().count());
    }

    @Test
    void invalidRequests() {
        assertThrows(IllegalArgumentException.class, () -> DockerDeviceRequest.forCount(0));
        assertThrows(IllegalArgumentException.class, () -> DockerDeviceRequest.forCount(-2));
        assertThrows(IllegalArgumentException.class, () -> DockerDeviceRequest.forDevices(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> new DockerDeviceRequest("nvidia", 2, List.of("0"), List.of(List.of("gpu")), Map.of()));
    }

    @Test
    void dataIsImmutable() {
        DockerDeviceRequest r = DockerDeviceRequest.forCount(1);
        assertThrows(UnsupportedOperationException.class, () -> r.capabilities().get(0).add("compute"));
    }

    @Test
    void recognisesTheNoRuntimeError() {
        // what dockerd 20.10 answers at container start on a host without the NVIDIA runtime
        assertTrue(DockerDeviceRequest.isNoGpuRuntimeError(
                "Status 500: {\"message\":\"could not select device driver \\\"nvidia\\\" with capabilities: [[gpu]]\"}"));
        assertTrue(DockerDeviceRequest.isNoGpuRuntimeError("Error response from daemon: unknown or invalid runtime name: nvidia"));
        assertFalse(DockerDeviceRequest.isNoGpuRuntimeError("No such image: foo"));
        assertFalse(DockerDeviceRequest.isNoGpuRuntimeError(null));
        assertTrue(DockerDeviceRequest.NO_GPU_RUNTIME_MESSAGE.startsWith("this engine has no GPU runtime"));
    }
}

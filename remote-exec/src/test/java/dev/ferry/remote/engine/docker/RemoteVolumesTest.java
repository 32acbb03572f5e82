package dev.ferry.remote.engine.docker;

import dev.ferry.remote.engine.EngineException;
import dev.ferry.remote.engine.PlacementSpec;
import dev.ferry.remote.engine.WorkerLaunch;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteVolumesTest {
    @Test
    void aVolumeOnARemoteEngineIsRefusedBeforeAnythingStartsAndSaysWhatToDoInstead() {
        // nothing listens there: the refusal comes before any call to the engine
        try (DockerEngine remote = new DockerEngine(DockerEngine.Settings.of("tcp://127.0.0.1:9", null, null))) {
            PlacementSpec spec = new PlacementSpec("ferry/base:bookworm-jdk17", new WorkerLaunch("java", List.of(),
                    List.of(), Map.of(), null), Map.of(), null, null, "none", null,
                    List.of(new PlacementSpec.Mount(Path.of("/home/u/.local/share/ferry/volumes/ds"), "/data", false)));
            EngineException e = assertThrows(EngineException.class, () -> remote.start(spec));
            assertTrue(e.getMessage().startsWith("volumes=/data:ds: the Docker engine at tcp://127.0.0.1:9 cannot see"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("addLocalDir") && e.getMessage().contains("without DOCKER_HOST"), e.getMessage());
        }
    }
}

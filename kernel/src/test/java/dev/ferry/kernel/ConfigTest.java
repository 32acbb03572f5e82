package dev.ferry.kernel;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

class ConfigTest {
    @Test
    void kernelspecOptionsComeFirstThenTheEnvironment() {
        Config c = Config.from(new String[] {"--worker-opt=-Xmx1g", "conn.json"}, Map.of("FERRY_JVM_OPTS", " -Xmx2g  -Dx=1 "));
        assertEquals(List.of("-Xmx1g", "-Xmx2g", "-Dx=1"), c.workerJvmOptions());
        assertEquals(Path.of("conn.json"), c.connectionFile());
    }

    @Test
    void parentPidIsWatchedOnlyWhenItIsANumber() {
        assertEquals(123, Config.from(new String[] {"c"}, Map.of("JPY_PARENT_PID", "123")).parentPid());
        assertEquals(0, Config.from(new String[] {"c"}, Map.of("JPY_PARENT_PID", "x")).parentPid());
        assertEquals(0, Config.from(new String[] {"c"}, Map.of()).parentPid());
    }

    @Test
    void theKubernetesEngineGetsItsVariablesAndNoOthers() {
        Config c = Config.from(new String[] {"c"}, Map.of("KUBECONFIG", "/k/config", "FERRY_KUBE_NAMESPACE", "ml",
                "FERRY_KUBE_REGISTRY", "reg:5000/ferry", "DOCKER_HOST", "tcp://x:2376", "HOME", "/h"));
        assertEquals(Map.of("KUBECONFIG", "/k/config", "FERRY_KUBE_NAMESPACE", "ml", "FERRY_KUBE_REGISTRY", "reg:5000/ferry"),
                c.kubernetes());
        var s = dev.ferry.remote.engine.kubernetes.KubeSettings.of(c.kubernetes(), "/h");
        assertEquals(Path.of("/k/config"), s.kubeconfig());
        assertEquals("ml", s.namespace());
        assertEquals("reg:5000/ferry/image:abc", s.clusterImage("ferry/image:abc"));
    }

    @Test
    void spareWorkersWaitTenMinutesByDefaultAndZeroTurnsThemOff() {
        assertEquals(600, Config.from(new String[] {"c"}, Map.of()).spareIdleSeconds());
        assertEquals(30, Config.from(new String[] {"c"}, Map.of("FERRY_SPARE_IDLE", " 30 ")).spareIdleSeconds());
        assertEquals(0, Config.from(new String[] {"c"}, Map.of("FERRY_SPARE_IDLE", "0")).spareIdleSeconds());
        assertEquals(Path.of("/d/spares"), Config.from(new String[] {"c"}, Map.of("FERRY_DATA_DIR", "/d")).sparesDir());
        for (String bad : List.of("ten", "-1", "1.5")) {
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> Config.from(new String[] {"c"}, Map.of("FERRY_SPARE_IDLE", bad)))
                    .getMessage().contains("FERRY_SPARE_IDLE must be a number of seconds"), bad);
        }
    }

    @Test
    void dataDirectory() {
        assertEquals(Path.of("/d"), Config.dataDir(Map.of("FERRY_DATA_DIR", "/d", "XDG_DATA_HOME", "/x")));
        assertEquals(Path.of("/x/ferry"), Config.dataDir(Map.of("XDG_DATA_HOME", "/x")));
        assertTrue(Config.dataDir(Map.of()).endsWith(Path.of(".local/share/ferry")));
    }

    @Test
    void badArgumentsSayWhatIsWrong() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.from(new String[] {}, Map.of()))
                .getMessage().contains("no connection file"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.from(new String[] {"--wat", "c"}, Map.of()))
                .getMessage().contains("unknown option '--wat'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Config.from(new String[] {"a", "b"}, Map.of()))
                .getMessage().contains("more than one"));
    }
}

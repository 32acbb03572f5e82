package dev.ferry.remote.control;

import dev.ferry.Image;
import dev.ferry.remote.Worker;
import dev.ferry.remote.engine.Engine;
import dev.ferry.remote.engine.EngineException;
import dev.ferry.remote.engine.Placement;
import dev.ferry.remote.engine.PlacementSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RemoteControlTest {
    /** An engine that only answers whether it is there and records what it was asked. */
    static final class FakeEngine implements Engine {
        final String name;
        final boolean up;
        final List<String> calls = new ArrayList<>();

        FakeEngine(String name, boolean up) {
            this.name = name;
            this.up = up;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean available() {
            calls.add("available");
            return up;
        }

        @Override
        public String prepare(Image image, Consumer<String> log) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Placement start(PlacementSpec spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<PlacementInfo> list(Map<String, String> labels) {
            return List.of();
        }

        @Override
        public void remove(String id) {
            calls.add("remove " + id);
        }
    }

    private static RemoteControl control(FakeEngine process, FakeEngine docker, String envDefault) {
        return new RemoteControl(Map.of("process", () -> process, "docker", () -> docker), envDefault,
                new dev.ferry.remote.engine.WorkerLaunch("java", List.of(), List.of(Path.of("x.jar")), Map.of(), null), 17, null,
                Janitor.labelsOfThisKernel("k1"), e -> { }, Worker.CallHandler.NONE);
    }

    @Test
    void dockerWhenItAnswersElseProcessWithANotice() throws Exception {
        FakeEngine process = new FakeEngine("process", true);
        List<String> notices = new ArrayList<>();
        assertEquals("docker", control(process, new FakeEngine("docker", true), null).engines().choose(null, notices::add).name());
        assertTrue(notices.isEmpty());
        assertEquals("process", control(process, new FakeEngine("docker", false), null).engines().choose(null, notices::add).name());
        assertEquals(1, notices.size());
        assertTrue(notices.get(0).contains("no Docker engine answers"), notices.get(0));
    }

    @Test
    void theCellsEngineWinsThenTheNotebooksThenTheEnvironments() throws Exception {
        FakeEngine process = new FakeEngine("process", true);
        FakeEngine docker = new FakeEngine("docker", true);
        RemoteControl c = control(process, docker, "process");
        assertEquals("process", c.engines().choose(null, s -> { }).name());
        assertEquals("docker", c.engines().choose("docker", s -> { }).name());
        com.google.gson.JsonObject cfg = new com.google.gson.JsonObject();
        cfg.addProperty("engine", "docker");
        c.call("remote.config", cfg, new byte[0], null);
        assertEquals("docker", c.engines().choose(null, s -> { }).name());
        assertEquals("process", c.engines().choose("process", s -> { }).name());
    }

    @Test
    void unknownOrSilentEnginesAreClearErrors() {
        RemoteControl c = control(new FakeEngine("process", true), new FakeEngine("docker", false), null);
        EngineException e = assertThrows(EngineException.class, () -> c.engines().choose("kubernetes", s -> { }));
        assertTrue(e.getMessage().contains("unknown engine 'kubernetes'") && e.getMessage().contains("docker, process"),
                e.getMessage());
        EngineException down = assertThrows(EngineException.class, () -> c.engines().choose("docker", s -> { }));
        assertTrue(down.getMessage().contains("does not answer"), down.getMessage());
    }

    @Test
    void aKernelIsGoneWhenItsPidIsDeadOrReused() {
        Map<String, String> mine = Janitor.labelsOfThisKernel("k1");
        assertFalse(Janitor.kernelGone(mine));
        Map<String, String> reused = new java.util.HashMap<>(mine);
        reused.put(Janitor.STARTED_LABEL, "12345");
        assertTrue(Janitor.kernelGone(reused));
        Map<String, String> dead = new java.util.HashMap<>(mine);
        dead.put(Janitor.PID_LABEL, Long.toString(Integer.MAX_VALUE - 7L));
        assertTrue(Janitor.kernelGone(dead));
        assertFalse(Janitor.kernelGone(Map.of())); // not a Ferry kernel's container: left alone
    }

    @Test
    void requestsParseWithDefaults() {
        com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(
                "{\"code\":\"1\",\"cell\":3,\"gpu\":\"T4\",\"memory\":512,\"env\":{\"A\":\"1\"},\"volumes\":[\"/v=/data\"]}")
                .getAsJsonObject();
        RemoteRequest r = RemoteRequest.fromJson(o);
        assertEquals("1", r.code());
        assertEquals(3, r.cell());
        assertEquals("T4", r.gpu());
        assertEquals(512L, r.memoryMiB());
        assertEquals(Map.of("A", "1"), r.env());
        assertEquals(List.of("/v=/data"), r.volumes());
        assertEquals(null, r.timeoutS());
        assertFalse(r.capture());
    }

    @Test
    void aContainerOutOfMemorySaysMemoryWithItsValueNotFerryJvmOpts() {
        var oom = new dev.ferry.remote.WorkerDeath(3, List.of("Exception in thread \"main\" java.lang.OutOfMemoryError:"
                + " Java heap space"), null);
        String m = RemoteRun.explain(oom, 256L, true);
        assertTrue(m.contains("ran out of memory"), m);
        assertTrue(m.contains("This cell had memory=256 MiB: raise it, e.g. `%%remote memory=512`"), m);
        assertFalse(m.contains("FERRY_JVM_OPTS"), m);
        m = RemoteRun.explain(oom, null, true);
        assertTrue(m.contains("no memory= limit") && m.contains("`%%remote memory=4096`"), m);
        // a cgroup kill at the limit leaves no OutOfMemoryError behind
        m = RemoteRun.explain(new dev.ferry.remote.WorkerDeath(137, List.of(), null), 256L, true);
        assertTrue(m.contains("reached its memory limit") && m.contains("memory=512"), m);
        assertFalse(RemoteRun.explain(new dev.ferry.remote.WorkerDeath(1, List.of(), null), 256L, true)
                .contains("memory="));
        assertTrue(oom.explain().contains("FERRY_JVM_OPTS"), "the notebook's own worker keeps its advice");
    }
}

package dev.ferry.remote.engine;

import dev.ferry.Image;
import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.remote.engine.docker.DockerEngine;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One contract, two engines: a worker placement started by the engine speaks the frame protocol, shows a
 * child's inherited output as raw text without corrupting frames, reports its exit code when it dies, and
 * is gone after kill. Needs a real dockerd ({@code install/docker.sh start}): fails when none answers.
 */
class EngineContractIT {
    private static final String RUN = UUID.randomUUID().toString();
    private static final DockerEngine DOCKER = new DockerEngine(DockerEngine.Settings.local());
    private static final ProcessEngine PROCESS = new ProcessEngine(
            ProcessHandle.current().info().command().orElse("java"));

    private static Engine engine(String name) {
        if (name.equals("docker")) {
            assertTrue(DOCKER.available(), "no Docker engine answers on /var/run/docker.sock: start it with install/docker.sh start");
        }
        return name.equals("docker") ? DOCKER : PROCESS;
    }

    private static Worker start(Engine engine, Map<String, String> env) throws Exception {
        String image = engine.prepare(engine instanceof DockerEngine ? Image.debianSlim(17, false) : null, line -> { });
        PlacementSpec spec = new PlacementSpec(image, new WorkerLaunch("java", List.of("--add-opens=java.base/java.nio=ALL-UNNAMED"),
                WorkerLaunch.currentClassPath(), env, null), Map.of("dev.ferry.test", RUN), null, null, "none", null, List.of());
        Worker w = Worker.attach(engine.start(spec), e -> { }, Worker.CallHandler.NONE);
        w.ready().get(120, TimeUnit.SECONDS);
        return w;
    }

    private static List<WorkerEvent> run(Worker w, String code) throws Exception {
        Worker.Execution e = w.execute(code, 1, false);
        List<WorkerEvent> events = new ArrayList<>();
        while (true) {
            WorkerEvent ev = e.next(60, TimeUnit.SECONDS);
            events.add(ev);
            if (ev == null || ev instanceof WorkerEvent.Result || ev instanceof WorkerEvent.Died) {
                return events;
            }
        }
    }

    private static String text(List<WorkerEvent> events) {
        StringBuilder b = new StringBuilder();
        events.stream().filter(WorkerEvent.Stream.class::isInstance).map(WorkerEvent.Stream.class::cast)
                .forEach(s -> b.append(s.text()));
        return b.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"process", "docker"})
    void aWorkerRunsCellsAndChildOutputNeverCorruptsFrames(String name) throws Exception {
        Worker w = start(engine(name), Map.of("FERRY_CONTRACT", "yes"));
        try {
            List<WorkerEvent> ev = run(w, "System.out.println(\"out\"); System.getenv(\"FERRY_CONTRACT\") + (1 + 1)");
            WorkerEvent.Result r = (WorkerEvent.Result) ev.get(ev.size() - 1);
            assertEquals("ok", r.status());
            assertEquals("yes2", r.fields().getAsJsonObject("data").get("text/plain").getAsString());
            assertTrue(text(ev).contains("out"), text(ev));
            // a child inheriting the worker's stdio writes to descriptors 1/2: raw text, frames intact
            ev = run(w, "new ProcessBuilder(\"sh\", \"-c\", \"echo child-says-hi; echo child-err >&2\").inheritIO().start().waitFor()");
            assertEquals("ok", ((WorkerEvent.Result) ev.get(ev.size() - 1)).status());
            assertTrue(text(ev).contains("child-says-hi") && text(ev).contains("child-err"), text(ev));
            ev = run(w, "1 + 2");
            assertEquals("3", ((WorkerEvent.Result) ev.get(ev.size() - 1)).fields().getAsJsonObject("data")
                    .get("text/plain").getAsString());
        } finally {
            w.close();
        }
        assertFalse(w.isAlive());
    }

    @ParameterizedTest
    @ValueSource(strings = {"process", "docker"})
    void aDyingWorkerReportsItsExitCodeAndLastWords(String name) throws Exception {
        Worker w = start(engine(name), Map.of());
        try {
            List<WorkerEvent> ev = run(w, "System.err.println(\"last words\"); System.exit(7)");
            WorkerEvent last = ev.get(ev.size() - 1);
            assertTrue(last instanceof WorkerEvent.Died, String.valueOf(last));
            assertEquals(7, ((WorkerEvent.Died) last).death().exitCode());
        } finally {
            w.kill();
        }
    }

    private static List<String> volumes;

    private static List<String> workerVolumes() throws Exception {
        Process p = new ProcessBuilder("docker", "volume", "ls", "-q", "-f", "label=dev.ferry=worker-classpath")
                .redirectErrorStream(true).start();
        List<String> out = new String(p.getInputStream().readAllBytes()).lines().sorted().toList();
        p.waitFor();
        return out;
    }

    @Test
    void aRemoteEngineGetsTheWorkerCopiedIntoTheContainer() throws Exception {
        engine("docker");
        // the copy path a tcp:// engine takes, exercised on the local socket
        List<String> before = workerVolumes();
        try (DockerEngine copying = new DockerEngine(new DockerEngine.Settings("unix:///var/run/docker.sock", false, null, true))) {
            for (int i = 0; i < 3; i++) { // the second finds the class path's volume filled by the first
                if (i == 2) { // removed behind the kernel's back (docker volume prune): filled again
                    assertEquals(volumes, workerVolumes(), "the second container reused the volume");
                    for (String v : volumes) {
                        if (!v.endsWith("-ready")) {
                            new ProcessBuilder("docker", "volume", "rm", v).start().waitFor();
                        }
                    }
                }
                Worker w = start(copying, Map.of());
                try {
                    List<WorkerEvent> ev = run(w, "System.getProperty(\"java.class.path\").startsWith(\"/opt/ferry/worker/\")");
                    WorkerEvent.Result r = (WorkerEvent.Result) ev.get(ev.size() - 1);
                    assertEquals("true", r.fields().getAsJsonObject("data").get("text/plain").getAsString());
                } finally {
                    w.close();
                }
                if (i == 0) {
                    volumes = workerVolumes();
                    assertTrue(volumes.stream().anyMatch(v -> v.endsWith("-ready")), volumes.toString());
                }
            }
            assertEquals(volumes, workerVolumes(), "the third filled the same volume again");
        } finally { // on a real remote engine they stay; here they are this run's
            for (String v : workerVolumes()) {
                if (!before.contains(v)) {
                    new ProcessBuilder("docker", "volume", "rm", "-f", v).redirectErrorStream(true).start().waitFor();
                }
            }
        }
    }

    @Test
    void dockerContainersCarryLabelsAndAreRemovedByKill() throws Exception {
        Engine docker = engine("docker");
        Worker w = start(docker, Map.of());
        String id = w.id();
        List<Engine.PlacementInfo> listed = docker.list(Map.of("dev.ferry.test", RUN));
        assertTrue(listed.stream().anyMatch(p -> p.id().equals(id)), listed.toString());
        w.kill();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (docker.list(Map.of("dev.ferry.test", RUN)).stream().anyMatch(p -> p.id().equals(id))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertFalse(docker.list(Map.of("dev.ferry.test", RUN)).stream().anyMatch(p -> p.id().equals(id)));
    }

    @Test
    void aMissingImageAndAFailedBuildAreClearErrors() {
        Engine docker = engine("docker");
        EngineException missing = assertThrows(EngineException.class,
                () -> docker.prepare(Image.fromRegistry("ferry-test/no-such-image:1"), l -> { }));
        assertTrue(missing.getMessage().contains("ferry-test/no-such-image:1") && missing.getMessage().contains("docker pull"),
                missing.getMessage());
        List<String> log = new ArrayList<>();
        EngineException failed = assertThrows(EngineException.class,
                () -> docker.prepare(Image.debianSlim(17, false).runCommands("echo about-to-fail; exit 7"), log::add));
        assertTrue(failed.getMessage().contains("Step 2/") && failed.getMessage().contains("about-to-fail")
                && failed.getMessage().contains("fix the step"), failed.getMessage());
        assertTrue(log.stream().anyMatch(l -> l.contains("about-to-fail")), log.toString());
    }

    @Test
    void theProcessEngineRefusesImagesAndVolumes() {
        EngineException img = assertThrows(EngineException.class, () -> PROCESS.prepare(Image.debianSlim(), l -> { }));
        assertTrue(img.getMessage().contains("engine=docker"), img.getMessage());
        EngineException vol = assertThrows(EngineException.class, () -> PROCESS.start(new PlacementSpec("local",
                new WorkerLaunch("java", List.of(), List.of(), Map.of(), null), Map.of(), null, null, "none",
                null, List.of(new PlacementSpec.Mount(java.nio.file.Path.of("/tmp"), "/data", false)))));
        assertTrue(vol.getMessage().contains("cannot mount volumes"), vol.getMessage());
    }

    @Test
    void aGpuRequestOnAnEngineWithoutNvidiaRuntimeSaysSo() throws Exception {
        Engine docker = engine("docker");
        PlacementSpec spec = new PlacementSpec(docker.prepare(Image.debianSlim(17, false), l -> { }),
                new WorkerLaunch("java", List.of(), WorkerLaunch.currentClassPath(), Map.of(), null),
                Map.of("dev.ferry.test", RUN), null, null, "none", dev.ferry.gpu.GpuSpec.parse("T4"), List.of());
        EngineException e = assertThrows(EngineException.class, () -> docker.start(spec));
        assertTrue(e.getMessage().startsWith("this engine has no GPU runtime"), e.getMessage());
        assertTrue(docker.list(Map.of("dev.ferry.test", RUN)).isEmpty(), "the failed container was removed");
    }

    @AfterAll
    static void noLeftovers() throws Exception {
        if (DOCKER.available()) {
            for (Engine.PlacementInfo p : DOCKER.list(Map.of("dev.ferry.test", RUN))) {
                DOCKER.remove(p.id());
            }
        }
        DOCKER.close();
    }
}

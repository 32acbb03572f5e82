package dev.ferry.remote.control;

import com.google.gson.JsonObject;
import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.remote.engine.ProcessEngine;
import dev.ferry.remote.engine.WorkerLaunch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code %%remote}'s run path in the JVM, on the process engine: what the end-to-end tests check through a
 * kernel and Docker (session reuse, timeout=, interrupt, clean-up), without either. (The kill after the
 * interrupt's 2 s grace, for a cell the worker cannot stop, is covered end to end in test_remote.py.)
 */
class RemoteControlProcessTest {
    private static final String JAVA = ProcessHandle.current().info().command().orElse("java");
    private static final List<WorkerEvent> streamed = new CopyOnWriteArrayList<>();
    private static Worker notebook; // a CallContext belongs to a worker: the notebook's, whose cell made the call

    @BeforeAll
    static void start() throws Exception {
        notebook = Worker.start(launch(), streamed::add); // no cell of its own runs: emitted events come here
        notebook.ready().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        notebook.close();
    }

    private static WorkerLaunch launch() {
        return WorkerLaunch.of(JAVA, List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"),
                System.getProperty("java.class.path"));
    }

    private static RemoteControl control() {
        return new RemoteControl(Map.of("process", () -> new ProcessEngine(JAVA)), "process", launch(),
                Runtime.version().feature(), null, Janitor.labelsOfThisKernel("test"), e -> { }, Worker.CallHandler.NONE);
    }

    private static JsonObject run(RemoteControl c, String code, String session, Integer timeoutS) throws Exception {
        JsonObject a = new JsonObject();
        a.addProperty("code", code);
        a.addProperty("cell", 1);
        if (session != null) a.addProperty("session", session);
        if (timeoutS != null) a.addProperty("timeout", timeoutS);
        return c.call("remote.run", a, new byte[0], notebook.new CallContext()).getAsJsonObject();
    }

    private static String text(JsonObject reply) {
        assertEquals("ok", reply.get("status").getAsString(), reply::toString);
        return reply.getAsJsonObject("data").get("text/plain").getAsString();
    }

    private static boolean gone(String pid) {
        return ProcessHandle.of(Long.parseLong(pid)).map(p -> !p.isAlive()).orElse(true);
    }

    /** Waits (at most a minute, a bound, not a measurement) for a condition. */
    private static boolean eventually(BooleanSupplier c) throws InterruptedException {
        for (int i = 0; i < 600 && !c.getAsBoolean(); i++) {
            Thread.sleep(100);
        }
        return c.getAsBoolean();
    }

    @Test
    void aNamedSessionKeepsItsStateAndItsWorkerAndOneShotCellsGetAFreshOneThatGoes() throws Exception {
        try (RemoteControl c = control()) {
            JsonObject first = run(c, "int x = 41;", "s", null);
            assertEquals("ok", first.get("status").getAsString(), first::toString);
            JsonObject second = run(c, "x + 1", "s", null);
            assertEquals("42", text(second));
            assertEquals(first.get("placement"), second.get("placement"), "the session's cells share its worker");

            JsonObject once = run(c, "6 * 7", null, null);
            assertEquals("42", text(once));
            String pid = once.get("placement").getAsString();
            assertNotEquals(second.get("placement").getAsString(), pid);
            assertTrue(eventually(() -> gone(pid)), "a one-shot cell's worker is removed after its reply");
            assertFalse(gone(second.get("placement").getAsString()), "the session's worker stays");
        }
    }

    @Test
    void aCellPastItsTimeoutIsInterruptedAndANamedSessionKeepsItsState() throws Exception {
        try (RemoteControl c = control()) {
            run(c, "int kept = 7;", "t", null);
            JsonObject late = run(c, "Thread.sleep(600_000);", "t", 1);
            assertEquals("error", late.get("status").getAsString(), late::toString);
            assertEquals("TimeoutError", late.get("ename").getAsString());
            assertTrue(late.get("evalue").getAsString().contains("session 't' keeps its state"), late::toString);
            assertEquals("7", text(run(c, "kept", "t", null)));
        }
    }

    @Test
    void anInterruptStopsARemoteCellAndItsSessionKeepsItsWorkerAndState() throws Exception {
        try (RemoteControl c = control()) {
            String pid = run(c, "int before = 5;", "spin", null).get("placement").getAsString();
            CompletableFuture<JsonObject> reply = CompletableFuture.supplyAsync(() -> {
                try {
                    // a cell that lets the interrupt through (one that swallows it is the kill-after-grace path,
                    // which test_remote.py covers end to end: its 2 s grace is too short to assert on a loaded machine)
                    return run(c, "System.out.println(\"looping\"); while (true) { Thread.sleep(50); }", "spin", null);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertTrue(eventually(() -> streamed.stream().anyMatch(e -> e instanceof WorkerEvent.Stream s
                    && s.text().contains("looping"))), "the cell's output reaches the calling cell");
            c.interrupt();
            JsonObject r = reply.get(60, TimeUnit.SECONDS);
            assertEquals("error", r.get("status").getAsString(), r::toString);
            assertEquals("Interrupted", r.get("ename").getAsString(), r::toString);
            JsonObject after = run(c, "before", "spin", null);
            assertEquals("5", text(after));
            assertEquals(pid, after.get("placement").getAsString(), "the worker stopped the cell: the session keeps it");
        }
    }

    @Test
    void closingTheControlPlaneRemovesEverySessionsWorker() throws Exception {
        RemoteControl c = control();
        String a = run(c, "1", "a", null).get("placement").getAsString();
        String b = run(c, "2", "b", null).get("placement").getAsString();
        c.close();
        assertTrue(eventually(() -> gone(a) && gone(b)), "close removes the workers of every session");
    }
}

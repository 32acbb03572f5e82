package dev.ferry.server;

import dev.ferry.client.FerryClient;
import dev.ferry.client.ServerLauncher;
import dev.ferry.proto.v1.CallResult;
import dev.ferry.proto.v1.CallState;
import dev.ferry.proto.v1.FunctionOptions;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.LogsReply;
import dev.ferry.proto.v1.LogsRequest;
import dev.ferry.proto.v1.RetryPolicy;
import dev.ferry.proto.v1.WaitReply;
import dev.ferry.proto.v1.WaitRequest;
import dev.ferry.proto.v1.WarmReply;
import dev.ferry.storage.Codec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.ferry.server.FunctionsProcessTest.WAIT_MS;
import static dev.ferry.server.FunctionsProcessTest.get;
import static dev.ferry.server.FunctionsProcessTest.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Warm workers, backoff retries, Wait and per-call logs on a real server process with real process workers. */
class WarmWorkersProcessTest {
    /** Returns its worker's pid; throws for a negative argument (the worker stays), sleeps {@code x} ms otherwise. */
    static final String PID = """
            long pid(int x) throws Exception {
                if (x < 0) throw new IllegalArgumentException("negative " + x);
                Thread.sleep(x);
                return ProcessHandle.current().pid();
            }""";
    static ServerPaths paths;
    static ProcessHandle server;
    static FerryClient client;

    @BeforeAll
    static void start() throws Exception {
        paths = new ServerPaths(Files.createTempDirectory("fw"));
        server = ServerLauncher.ofThisJvm().start(paths);
        client = FerryClient.connect(paths.socket());
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.destroyForcibly();
            server.onExit().get();
        }
    }

    /** A spec of {@link #PID} with these options; {@code tag} makes it a function (and a pool) of its own. */
    static FunctionSpec pid(String tag, FunctionOptions.Builder options) {
        return FunctionSpec.newBuilder().setName("pid").setMethodSource(PID).addDeclarations("// " + tag).setOptions(options).build();
    }

    static Object value(CallResult r) {
        assertEquals(CallState.CALL_STATE_SUCCEEDED, r.getState(), r.toString());
        return Codec.decode(r.getValue().toByteArray());
    }

    static Object call(FunctionSpec spec, Object... args) {
        return value(get(client, spawn(client, spec, args), WAIT_MS));
    }

    @Test
    void laterCallsOfTheSameFunctionRunOnItsWarmWorker() {
        FunctionSpec spec = pid("reuse", FunctionOptions.newBuilder());
        Object first = call(spec, 0);
        assertEquals(first, call(spec, 0));
        assertEquals(first, call(spec, 0));
        assertNotEquals(first, call(pid("another", FunctionOptions.newBuilder()), 0), "another function, another worker");
    }

    @Test
    void aFailedCallKeepsItsWorkerATimedOutOneDoesNot() {
        FunctionSpec spec = pid("fail", FunctionOptions.newBuilder().setTimeoutS(2));
        Object first = call(spec, 0);
        CallResult failed = get(client, spawn(client, spec, -1), WAIT_MS);
        assertEquals(CallState.CALL_STATE_FAILED, failed.getState());
        assertEquals(first, call(spec, 0), "an exception leaves the worker in service (as Modal keeps the container)");
        assertEquals(CallState.CALL_STATE_TIMED_OUT, get(client, spawn(client, spec, 600_000), WAIT_MS).getState());
        Object after = call(spec, 0);
        assertNotEquals(first, after, "a timed-out worker is stopped, not reused");
        assertTrue(ProcessHandle.of(((Number) first).longValue()).map(p -> {
            p.onExit().join();
            return true;
        }).orElse(true));
    }

    @Test
    void maxInputsOneGivesAFreshWorkerEachTime() {
        FunctionSpec spec = pid("fresh", FunctionOptions.newBuilder().setMaxInputs(1));
        assertNotEquals(call(spec, 0), call(spec, 0));
        FunctionSpec two = pid("two", FunctionOptions.newBuilder().setMaxInputs(2));
        Object a = call(two, 0);
        assertEquals(a, call(two, 0));
        assertNotEquals(a, call(two, 0), "retired after 2 inputs");
    }

    @Test
    void maxContainersCapsTheWorkersAndQueuesTheRest() {
        FunctionSpec spec = pid("capped", FunctionOptions.newBuilder().setMaxContainers(1));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(spawn(client, spec, 200));
        }
        Set<Object> pids = new HashSet<>();
        for (String id : ids) {
            pids.add(value(get(client, id, WAIT_MS)));
        }
        assertEquals(1, pids.size(), "six calls, at most one worker: " + pids);
        FunctionSpec wide = pid("wide", FunctionOptions.newBuilder().setMaxContainers(2));
        ids.clear();
        for (int i = 0; i < 6; i++) {
            ids.add(spawn(client, wide, 300));
        }
        pids.clear();
        for (String id : ids) {
            pids.add(value(get(client, id, WAIT_MS)));
        }
        assertTrue(pids.size() <= 2, "at most two workers: " + pids);
    }

    @Test
    void minContainersStartsAWorkerAtDeclarationAndIdleOnesScaleDown() throws Exception {
        FunctionSpec warm = pid("min", FunctionOptions.newBuilder().setMinContainers(1).setScaledownWindowS(1));
        WarmReply w = client.unary("Functions/Warm", warm, null);
        assertEquals(1, w.getWorkers());
        long declared = System.currentTimeMillis();
        long pid = ((Number) call(warm, 0)).longValue();
        long started = ProcessHandle.of(pid).orElseThrow().info().startInstant().orElseThrow().toEpochMilli();
        assertTrue(started < declared, "the worker was started (and made ready) by Warm, before the call");
        Thread.sleep(2500); // past its 1 s window: min_containers keeps it anyway
        assertEquals(pid, ((Number) call(warm, 0)).longValue());

        FunctionSpec brief = pid("scaledown", FunctionOptions.newBuilder().setScaledownWindowS(1));
        Object first = call(brief, 0);
        long deadline = System.currentTimeMillis() + WAIT_MS;
        while (ProcessHandle.of(((Number) first).longValue()).map(ProcessHandle::isAlive).orElse(false)) {
            assertTrue(System.currentTimeMillis() < deadline, "the idle worker was not stopped after its scaledown window");
            Thread.sleep(200);
        }
        assertNotEquals(first, call(brief, 0), "scaled to zero: the next call starts a worker");
    }

    @Test
    void scalingOptionsOutOfRangeAreRefusedWithTheRange() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> spawn(client, pid("bad", FunctionOptions.newBuilder().setMaxContainers(2).setMinContainers(3)), 0));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("min_containers=3 is more than max_containers=2: give min_containers <= max_containers", e.getStatus().getDescription());
        StatusRuntimeException b = assertThrows(StatusRuntimeException.class, () -> spawn(client, pid("bad",
                FunctionOptions.newBuilder().setRetries(1).setRetryPolicy(RetryPolicy.newBuilder().setBackoffCoefficient(0.5))), 0));
        assertTrue(b.getStatus().getDescription().startsWith("backoff=0.5 is out of range: the backoff coefficient is 1.0 to 10.0"),
                b.getStatus().getDescription());
        StatusRuntimeException m = assertThrows(StatusRuntimeException.class, () -> spawn(client, pid("bad",
                FunctionOptions.newBuilder().setRetryPolicy(RetryPolicy.newBuilder().setMaxDelayMs(120_000))), 0));
        assertEquals("max_delay=120.0 s is out of range: give 1 to 60 seconds", m.getStatus().getDescription());
    }

    @Test
    void aBackoffPolicyRetriesOnTheServer() {
        String flaky = """
                int flaky(String key) {
                    dev.ferry.Dict<String, Integer> d = dev.ferry.Dict.fromName("flaky", true);
                    int n = d.get(key, 0);
                    d.put(key, n + 1);
                    if (n < 2) throw new RuntimeException("flake " + n);
                    return n;
                }""";
        FunctionSpec spec = FunctionSpec.newBuilder().setName("flaky").setMethodSource(flaky).setOptions(FunctionOptions.newBuilder()
                .setRetries(3).setRetryPolicy(RetryPolicy.newBuilder().setInitialDelayMs(100).setBackoffCoefficient(3))).build();
        CallResult r = get(client, spawn(client, spec, "k-" + System.nanoTime()), WAIT_MS);
        assertEquals(2, value(r));
        assertEquals(3, r.getAttempts());
        String log = FunctionsProcessTest.readLog(paths);
        assertTrue(log.contains("retrying in 100 ms (retry 1 of 3)") && log.contains("retrying in 300 ms (retry 2 of 3)"), log);
    }

    @Test
    void waitAnswersTheCallsThatHaveFinished() {
        FunctionSpec spec = pid("wait", FunctionOptions.newBuilder());
        String quick = spawn(client, spec, 0);
        String slow = spawn(client, spec, 600_000);
        WaitReply w = client.unary("Functions/Wait", WaitRequest.newBuilder().addCallIds(slow).addCallIds(quick).setTimeoutMs(WAIT_MS).build(), null);
        assertEquals(List.of(quick), w.getFinishedList().stream().map(CallResult::getCallId).toList());
        client.unary("Functions/Cancel", dev.ferry.proto.v1.CallRef.newBuilder().setCallId(slow).build(), null);
        WaitReply none = client.unary("Functions/Wait", WaitRequest.newBuilder().addCallIds(slow).build(), null);
        assertEquals(CallState.CALL_STATE_CANCELLED, none.getFinished(0).getState());
    }

    @Test
    void eachCallsOutputIsKeptAndPrintedByFerryLogs() {
        FunctionSpec spec = FunctionSpec.newBuilder().setName("chatty").setMethodSource("""
                int chatty(int x) {
                    System.out.println("out " + x);
                    System.err.println("err " + x);
                    return x;
                }""").build();
        String a = spawn(client, spec, 1);
        String b = spawn(client, spec, 2);
        value(get(client, a, WAIT_MS));
        value(get(client, b, WAIT_MS));
        LogsReply r = client.unary("Functions/Logs", LogsRequest.newBuilder().setCallId(b).build(), null);
        assertTrue(r.getFinished());
        StringBuilder out = new StringBuilder();
        StringBuilder err = new StringBuilder();
        r.getChunksList().forEach(c -> (c.getStream().equals("stderr") ? err : out).append(c.getText()));
        assertEquals("out 2\n", out.toString(), "only this call's output, though both ran on one worker");
        assertEquals("err 2\n", err.toString());
        String printed = FunctionsProcessTest.ferry(paths, 0, "logs", a);
        assertTrue(printed.contains("out 1\n") && printed.contains("err 1\n") && !printed.contains("2"), printed);
    }
}

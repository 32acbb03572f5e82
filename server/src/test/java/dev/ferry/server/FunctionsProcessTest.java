package dev.ferry.server;

import com.google.protobuf.ByteString;
import dev.ferry.client.FerryClient;
import dev.ferry.client.ServerLauncher;
import dev.ferry.proto.v1.CallInfo;
import dev.ferry.proto.v1.CallRef;
import dev.ferry.proto.v1.CallResult;
import dev.ferry.proto.v1.CallState;
import dev.ferry.proto.v1.FunctionOptions;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.GetRequest;
import dev.ferry.proto.v1.ListCallsRequest;
import dev.ferry.proto.v1.SpawnReply;
import dev.ferry.proto.v1.SpawnRequest;
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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Function calls on a real server process, each attempt in a real process worker. */
class FunctionsProcessTest {
    /** Long enough for a worker JVM on a loaded 2-core machine; a call normally ends in a few seconds. */
    static final long WAIT_MS = 120_000;
    static ServerPaths paths;
    static ProcessHandle server;
    static FerryClient client;

    @BeforeAll
    static void start() throws Exception {
        paths = new ServerPaths(Files.createTempDirectory("ff"));
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

    static FunctionSpec spec(String name, String source, int retries, String... declarations) {
        return FunctionSpec.newBuilder().setName(name).setMethodSource(source).addAllDeclarations(List.of(declarations))
                .setOptions(FunctionOptions.newBuilder().setRetries(retries)).build();
    }

    static String spawn(FerryClient c, FunctionSpec spec, Object... args) {
        SpawnRequest.Builder b = SpawnRequest.newBuilder().setFunction(spec);
        for (Object a : args) {
            b.addArgs(ByteString.copyFrom(Codec.encode(a)));
        }
        SpawnReply r = c.unary("Functions/Spawn", b.build(), null);
        return r.getCallId();
    }

    static CallResult get(FerryClient c, String id, long timeoutMs) {
        return c.unary("Functions/Get", GetRequest.newBuilder().setCallId(id).setTimeoutMs(timeoutMs).build(), null);
    }

    @Test
    void spawnThenGetRunsTheMethodWithTheNotebooksDeclarationsInAWorker() {
        String id = spawn(client, spec("f", "int f(int x) { return twice(x) + 1; }", 0, "int twice(int x) { return 2 * x; }"), 7);
        assertTrue(id.matches("fc-[0-9a-z]{26}"), id);
        CallResult r = get(client, id, WAIT_MS);
        assertEquals(CallState.CALL_STATE_SUCCEEDED, r.getState(), r.toString());
        assertEquals(15, Codec.decode(r.getValue().toByteArray()));
        assertEquals(1, r.getAttempts());
        List<String> listed = new ArrayList<>();
        client.<CallInfo>stream("Functions/List", ListCallsRequest.getDefaultInstance()).forEachRemaining(i -> listed.add(i.getCallId()));
        assertTrue(listed.contains(id));
    }

    @Test
    void aRemoteExceptionComesBackWithItsTypeMessageAndStackTrace() {
        String id = spawn(client, spec("boom", "String boom(String s) { throw new IllegalStateException(\"no \" + s); }", 0), "way");
        CallResult r = get(client, id, WAIT_MS);
        assertEquals(CallState.CALL_STATE_FAILED, r.getState(), r.toString());
        assertEquals("java.lang.IllegalStateException", r.getError().getType());
        assertEquals("no way", r.getError().getMessage());
        assertTrue(r.getError().getStackTraceList().stream().anyMatch(l -> l.contains("boom")), r.getError().toString());
    }

    @Test
    void retriesAreDoneByTheServer() {
        String flaky = """
                int flaky(String key) {
                    dev.ferry.storage.Dict<String, Integer> d = dev.ferry.storage.Dict.fromName("flaky", true);
                    int n = d.get(key, 0);
                    d.put(key, n + 1);
                    if (n < 2) throw new RuntimeException("flake " + n);
                    return n;
                }""";
        String id = spawn(client, spec("flaky", flaky, 2), "k-" + System.nanoTime());
        CallResult r = get(client, id, 3 * WAIT_MS);
        assertEquals(CallState.CALL_STATE_SUCCEEDED, r.getState(), r.toString());
        assertEquals(2, Codec.decode(r.getValue().toByteArray()));
        assertEquals(3, r.getAttempts());
    }

    @Test
    void aWorkerThatDiesMidCallIsRetriedWithoutCountingAgainstRetries() {
        String dies = """
                int dies(String key) {
                    dev.ferry.storage.Dict<String, Integer> d = dev.ferry.storage.Dict.fromName("dies", true);
                    int n = d.get(key, 0);
                    d.put(key, n + 1);
                    if (n == 0) Runtime.getRuntime().halt(9);
                    return n;
                }""";
        String id = spawn(client, spec("dies", dies, 0), "k-" + System.nanoTime());
        CallResult r = get(client, id, 2 * WAIT_MS);
        assertEquals(CallState.CALL_STATE_SUCCEEDED, r.getState(), r.toString());
        assertEquals(1, Codec.decode(r.getValue().toByteArray()), "recorded once, from the second attempt");
        assertEquals(2, r.getAttempts());
    }

    @Test
    void anAttemptPastItsTimeoutIsTimedOut() {
        FunctionSpec slow = spec("nap", "int nap(int ms) throws Exception { Thread.sleep(ms); return ms; }", 0).toBuilder()
                .setOptions(FunctionOptions.newBuilder().setTimeoutS(1)).build();
        CallResult r = get(client, spawn(client, slow, 600_000), WAIT_MS);
        assertEquals(CallState.CALL_STATE_TIMED_OUT, r.getState(), r.toString());
        assertEquals("the attempt ran past timeout=1 s and its worker was stopped", r.getError().getMessage());
    }

    @Test
    void getWithoutWaitingSeesAPendingCallAndCancelEndsIt() {
        String id = spawn(client, spec("sleepy", "int sleepy(int ms) throws Exception { Thread.sleep(ms); return ms; }", 0), 600_000);
        CallResult now = get(client, id, 0);
        assertFalse(now.getState() == CallState.CALL_STATE_SUCCEEDED || now.getState() == CallState.CALL_STATE_FAILED, now.toString());
        CallResult c = client.unary("Functions/Cancel", CallRef.newBuilder().setCallId(id).build(), null);
        assertEquals(CallState.CALL_STATE_CANCELLED, c.getState());
        assertEquals(CallState.CALL_STATE_CANCELLED, get(client, id, 1000).getState());
    }

    @Test
    void wrongArgumentCountsAndUnknownIdsAreRefusedWithTheReason() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class,
                () -> spawn(client, spec("square", "int square(int x) { return x * x; }", 0), 1, 2));
        assertEquals(Status.Code.INVALID_ARGUMENT, e.getStatus().getCode());
        assertEquals("square(int x) takes 1 argument, the call gave 2", e.getStatus().getDescription());
        StatusRuntimeException unknown = assertThrows(StatusRuntimeException.class,
                () -> get(client, "fc-00000000000000000000000000", 0));
        assertEquals(Status.Code.NOT_FOUND, unknown.getStatus().getCode());
        assertTrue(unknown.getStatus().getDescription().contains("results are kept 7 days"));
        StatusRuntimeException malformed = assertThrows(StatusRuntimeException.class, () -> get(client, "42", 0));
        assertEquals(Status.Code.INVALID_ARGUMENT, malformed.getStatus().getCode());
        StatusRuntimeException docker = assertThrows(StatusRuntimeException.class, () -> spawn(client,
                spec("square", "int square(int x) { return x * x; }", 0).toBuilder()
                        .setOptions(FunctionOptions.newBuilder().setEngine("docker")).build(), 1));
        assertTrue(docker.getStatus().getDescription().startsWith("engine=docker is not supported by the server yet"));
    }

    static String ferry(int expectedStatus, String... args) {
        return ferry(paths, expectedStatus, args);
    }

    static String ferry(ServerPaths paths, int expectedStatus, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--data-dir", paths.dataDir().toString()));
        int rc = dev.ferry.cli.FerryCommand.run(new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                all.toArray(String[]::new));
        assertEquals(expectedStatus, rc, out + "" + err);
        return out.toString() + err;
    }

    @Test
    void ferryCallGetListAndCancelFromTheCommandLine() {
        String ok = spawn(client, spec("square", "long square(long x) { return x * x; }", 0), 6L);
        assertEquals("36\n", ferry(0, "call", "get", ok, "--timeout", "120s"));
        String failed = spawn(client, spec("boom", "int boom() { throw new ArithmeticException(\"zero\"); }", 0));
        String out = ferry(1, "call", "get", failed, "--timeout", "120s");
        assertTrue(out.startsWith(failed + " failed after 1 attempt: java.lang.ArithmeticException: zero"), out);
        assertTrue(ferry(0, "call", "list").contains(ok + "  square"));
        assertEquals(ok + " succeeded\n", ferry(0, "call", "cancel", ok), "a finished call keeps its outcome");
        assertTrue(ferry(1, "call", "get", "fc-00000000000000000000000000").contains("NOT_FOUND: no function call"));
    }

    @Test
    void killMinus9OfTheServerLosesNoAcceptedCall() throws Exception {
        ServerPaths crash = new ServerPaths(Files.createTempDirectory("fk"));
        ProcessHandle first = ServerLauncher.ofThisJvm().start(crash);
        List<String> ids = new ArrayList<>();
        try (FerryClient c = FerryClient.connect(crash.socket())) {
            FunctionSpec slow = spec("slow", "int slow(int x) throws Exception { Thread.sleep(1500); return x * 10; }", 0);
            for (int i = 0; i < 6; i++) {
                ids.add(spawn(c, slow, i));
            }
        }
        first.destroyForcibly(); // SIGKILL: no shutdown hook, calls pending or mid-run
        first.onExit().get();
        ProcessHandle second = ServerLauncher.ofThisJvm().start(crash);
        try (FerryClient c = FerryClient.connect(crash.socket())) {
            assertNotEquals(first.pid(), c.status(java.time.Duration.ofSeconds(5)).getPid());
            Set<Object> values = new HashSet<>();
            for (int i = 0; i < ids.size(); i++) {
                CallResult r = get(c, ids.get(i), WAIT_MS);
                assertEquals(CallState.CALL_STATE_SUCCEEDED, r.getState(), ids.get(i) + ": " + r);
                values.add(Codec.decode(r.getValue().toByteArray()));
            }
            assertEquals(Set.of(0, 10, 20, 30, 40, 50), values);
            assertTrue(Files.readString(crash.logFile()).contains("resuming " + ids.get(ids.size() - 1)));
        } finally {
            second.destroyForcibly();
            second.onExit().get();
        }
    }
}

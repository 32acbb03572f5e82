package dev.ferry.server;

import com.google.protobuf.ByteString;
import dev.ferry.client.FerryClient;
import dev.ferry.client.ServerLauncher;
import dev.ferry.proto.v1.AppCallsRequest;
import dev.ferry.proto.v1.AppFunction;
import dev.ferry.proto.v1.AppInfo;
import dev.ferry.proto.v1.AppRef;
import dev.ferry.proto.v1.AppSpec;
import dev.ferry.proto.v1.AppState;
import dev.ferry.proto.v1.CallInfo;
import dev.ferry.proto.v1.CallResult;
import dev.ferry.proto.v1.CallState;
import dev.ferry.proto.v1.DeployRequest;
import dev.ferry.proto.v1.FunctionRef;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.ListAppsRequest;
import dev.ferry.proto.v1.SpawnReply;
import dev.ferry.proto.v1.SpawnRequest;
import dev.ferry.server.apps.ScheduleText;
import dev.ferry.storage.Codec;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Apps on a real server process: deploy, redeploy, stop, schedules, restarts, nested calls, the CLI. */
class AppsProcessTest {
    static final long WAIT_MS = FunctionsProcessTest.WAIT_MS;
    static ServerPaths paths;
    static ProcessHandle server;
    static FerryClient client;

    @BeforeAll
    static void start() throws Exception {
        paths = new ServerPaths(Files.createTempDirectory("fa"));
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

    static FunctionSpec fn(String name, String source, String... declarations) {
        return FunctionSpec.newBuilder().setName(name).setMethodSource(source).addAllDeclarations(List.of(declarations)).build();
    }

    static AppFunction scheduled(FunctionSpec f, String schedule) {
        return AppFunction.newBuilder().setFunction(f).setSchedule(ScheduleText.parse(schedule)).build();
    }

    static AppInfo deploy(FerryClient c, String name, String source, AppFunction... fs) {
        return c.unary("Apps/Deploy", DeployRequest.newBuilder().setApp(AppSpec.newBuilder().setName(name).setSource(source)
                .addAllFunctions(List.of(fs))).build(), null);
    }

    static AppFunction plain(FunctionSpec f) {
        return AppFunction.newBuilder().setFunction(f).build();
    }

    static List<CallInfo> calls(FerryClient c, String app) {
        List<CallInfo> out = new ArrayList<>();
        c.<CallInfo>stream("Apps/Calls", AppCallsRequest.newBuilder().setApp(app).setLimit(1000).build()).forEachRemaining(out::add);
        return out;
    }

    /** Waits (up to a generous deadline, for a loaded machine) until the app's calls satisfy {@code done}. */
    static List<CallInfo> awaitCalls(FerryClient c, String app, Predicate<List<CallInfo>> done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 3 * WAIT_MS;
        List<CallInfo> now = calls(c, app);
        while (!done.test(now) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            now = calls(c, app);
        }
        return now;
    }

    static boolean finished(CallInfo i) {
        return i.getFinishedAtMs() > 0;
    }

    @Test
    void deployListLookupRedeployKeepsTheIdAndStopEndsIt() {
        AppInfo first = deploy(client, "shop", "", plain(fn("square", "int square(int x) { return x * x; }")));
        assertTrue(first.getAppId().matches("ap-[0-9a-z]{26}"), first.getAppId());
        assertEquals(1, first.getVersion());
        assertEquals(AppState.APP_STATE_DEPLOYED, first.getState());
        List<String> listed = new ArrayList<>();
        client.<AppInfo>stream("Apps/List", ListAppsRequest.getDefaultInstance()).forEachRemaining(a -> listed.add(a.getName()));
        assertTrue(listed.contains("shop"), listed.toString());
        FunctionSpec found = client.unary("Apps/Lookup", FunctionRef.newBuilder().setApp("shop").setFunction("square").build(), null);
        assertEquals("int square(int x) { return x * x; }", found.getMethodSource());

        AppInfo second = deploy(client, "shop", "", plain(fn("square", "int square(int x) { return x * x + 0; }")),
                plain(fn("cube", "int cube(int x) { return x * x * x; }")));
        assertEquals(first.getAppId(), second.getAppId());
        assertEquals(2, second.getVersion());
        assertEquals(List.of("square", "cube"), second.getFunctionsList().stream().map(f -> f.getName()).toList());

        StatusRuntimeException missing = assertThrows(StatusRuntimeException.class, () -> client.unary("Apps/Lookup",
                FunctionRef.newBuilder().setApp("shop").setFunction("nope").build(), null));
        assertEquals(Status.Code.NOT_FOUND, missing.getStatus().getCode());
        assertEquals("app 'shop' has no function 'nope'; its functions: square, cube", missing.getStatus().getDescription());

        AppInfo stopped = client.unary("Apps/Stop", AppRef.newBuilder().setName("shop").build(), null);
        assertEquals(AppState.APP_STATE_STOPPED, stopped.getState());
        StatusRuntimeException gone = assertThrows(StatusRuntimeException.class, () -> client.unary("Apps/Lookup",
                FunctionRef.newBuilder().setApp("shop").setFunction("square").build(), null));
        assertTrue(gone.getStatus().getDescription().startsWith("app 'shop' is stopped"), gone.getStatus().getDescription());
        List<String> running = new ArrayList<>();
        client.<AppInfo>stream("Apps/List", ListAppsRequest.getDefaultInstance()).forEachRemaining(a -> running.add(a.getName()));
        assertTrue(!running.contains("shop"), running.toString());
    }

    @Test
    void badAppsAreRefusedWithTheReason() {
        StatusRuntimeException cron = assertThrows(StatusRuntimeException.class, () -> deploy(client, "bad-cron", "",
                scheduled(fn("nightly", "void nightly() { }"), "cron 0 25 * * *")));
        assertEquals(Status.Code.INVALID_ARGUMENT, cron.getStatus().getCode());
        assertTrue(cron.getStatus().getDescription().startsWith("nightly: cron '0 25 * * *': the hour field '25' is wrong"),
                cron.getStatus().getDescription());
        StatusRuntimeException args = assertThrows(StatusRuntimeException.class, () -> deploy(client, "bad-args", "",
                scheduled(fn("tick", "int tick(int x) { return x; }"), "every 5s")));
        assertTrue(args.getStatus().getDescription().startsWith("tick(int x) has a schedule, and the server calls a scheduled"
                + " function with no arguments"), args.getStatus().getDescription());
        StatusRuntimeException name = assertThrows(StatusRuntimeException.class, () -> deploy(client, "no spaces", "",
                plain(fn("f", "int f() { return 1; }"))));
        assertTrue(name.getStatus().getDescription().startsWith("'no spaces' is not an app name"));

        deploy(client, "owned", "/home/u/a.jsh", plain(fn("f", "int f() { return 1; }")));
        StatusRuntimeException other = assertThrows(StatusRuntimeException.class, () -> deploy(client, "owned", "/home/u/b.jsh",
                plain(fn("f", "int f() { return 2; }"))));
        assertEquals(Status.Code.FAILED_PRECONDITION, other.getStatus().getCode());
        assertEquals("an app named 'owned' is already deployed from /home/u/a.jsh (version 1): deploy this one under another"
                + " name (--name NAME), stop that one first (ferry app stop owned), or replace it (--replace)",
                other.getStatus().getDescription());
        AppInfo replaced = client.unary("Apps/Deploy", DeployRequest.newBuilder().setReplace(true).setApp(AppSpec.newBuilder()
                .setName("owned").setSource("/home/u/b.jsh").addFunctions(plain(fn("f", "int f() { return 2; }")))).build(), null);
        assertEquals(2, replaced.getVersion());
        StatusRuntimeException served = assertThrows(StatusRuntimeException.class, () -> client.unary("Apps/Deploy",
                DeployRequest.newBuilder().setEphemeral(true).setOwnerPid(ProcessHandle.current().pid()).setApp(AppSpec.newBuilder()
                        .setName("owned").addFunctions(plain(fn("f", "int f() { return 3; }")))).build(), null));
        assertEquals(Status.Code.FAILED_PRECONDITION, served.getStatus().getCode());
        assertTrue(served.getStatus().getDescription().startsWith("app 'owned' is deployed (version 2); serving or running it"
                + " would replace it"), served.getStatus().getDescription());
    }

    @Test
    void aPeriodFiresAtLeastThreeTimesWithoutOverlap() throws Exception {
        // each run outlasts the period: the runs due meanwhile are skipped, never started beside it
        deploy(client, "ticker", "", scheduled(fn("tick", "long tick() throws Exception { Thread.sleep(1500); return 1L; }"), "every 1s"));
        List<CallInfo> runs = awaitCalls(client, "ticker", l -> l.stream().filter(AppsProcessTest::finished).count() >= 3);
        client.unary("Apps/Stop", AppRef.newBuilder().setName("ticker").build(), null);
        List<CallInfo> done = runs.stream().filter(AppsProcessTest::finished)
                .sorted(Comparator.comparingLong(CallInfo::getStartedAtMs)).toList();
        assertTrue(done.size() >= 3, runs.toString());
        for (CallInfo r : done) {
            assertEquals(CallState.CALL_STATE_SUCCEEDED, r.getState(), r.toString());
            assertEquals("ticker", r.getApp());
        }
        for (int i = 1; i < done.size(); i++) {
            assertTrue(done.get(i).getCreatedAtMs() >= done.get(i - 1).getFinishedAtMs(),
                    "run " + i + " was accepted before run " + (i - 1) + " finished: " + done);
        }
        assertTrue(Files.readString(paths.logFile()).contains("schedule ticker/tick (every 1s): run skipped, the previous run"));
    }

    @Test
    void runScheduleRunsOneNowAndAFunctionCanCallAnotherFromItsWorker() {
        String outer = "int outer(int x) { return dev.ferry.Function.<Integer>fromName(\"nest\", \"inner\").remote(x) + 1; }";
        deploy(client, "nest", "", plain(fn("inner", "int inner(int x) { return x * 10; }")), plain(fn("outer", outer)),
                plain(fn("hello", "String hello() { return \"hi\"; }")));
        SpawnReply now = client.unary("Apps/RunSchedule", FunctionRef.newBuilder().setApp("nest").setFunction("hello").build(), null);
        CallResult hello = FunctionsProcessTest.get(client, now.getCallId(), WAIT_MS);
        assertEquals("hi", Codec.decode(hello.getValue().toByteArray()), hello.toString());

        FunctionSpec spec = client.unary("Apps/Lookup", FunctionRef.newBuilder().setApp("nest").setFunction("outer").build(), null);
        SpawnReply r = client.unary("Functions/Spawn", SpawnRequest.newBuilder().setFunction(spec).setApp("nest")
                .addArgs(ByteString.copyFrom(Codec.encode(4))).build(), null);
        CallResult res = FunctionsProcessTest.get(client, r.getCallId(), 2 * WAIT_MS);
        assertEquals(CallState.CALL_STATE_SUCCEEDED, res.getState(), res.toString());
        assertEquals(41, Codec.decode(res.getValue().toByteArray()));
        List<CallInfo> nestCalls = calls(client, "nest");
        assertTrue(nestCalls.stream().anyMatch(c -> c.getFunctionName().equals("inner")), "the inner call is the app's too: " + nestCalls);
    }

    @Test
    void redeployWhileManyCallsArePendingLosesNone() throws Exception {
        FunctionSpec v1 = fn("work", "int work(int x) { return x + 1000; }");
        deploy(client, "busy", "", plain(v1));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            ids.add(client.<SpawnReply>unary("Functions/Spawn", SpawnRequest.newBuilder().setFunction(v1).setApp("busy")
                    .addArgs(ByteString.copyFrom(Codec.encode(i))).build(), null).getCallId());
            if (i == 10 || i == 25) {
                deploy(client, "busy", "", plain(fn("work", "int work(int x) { return x + 2000; }")));
            }
        }
        AppInfo after = client.unary("Apps/Describe", AppRef.newBuilder().setName("busy").build(), null);
        assertEquals(3, after.getVersion());
        for (int i = 0; i < ids.size(); i++) {
            CallResult res = FunctionsProcessTest.get(client, ids.get(i), 3 * WAIT_MS);
            assertEquals(CallState.CALL_STATE_SUCCEEDED, res.getState(), ids.get(i) + ": " + res);
            assertEquals(i + 1000, Codec.decode(res.getValue().toByteArray()), "a call keeps the spec it was accepted with");
        }
        assertEquals(40, calls(client, "busy").size());
    }

    @Test
    void anEphemeralAppStopsWhenItsOwnerIsGone() throws Exception {
        Process owner = new ProcessBuilder("sleep", "600").start();
        try {
            AppInfo a = client.unary("Apps/Deploy", DeployRequest.newBuilder().setEphemeral(true).setOwnerPid(owner.pid())
                    .setApp(AppSpec.newBuilder().setName("dev-app").addFunctions(plain(fn("f", "int f() { return 1; }")))).build(), null);
            assertEquals(AppState.APP_STATE_EPHEMERAL, a.getState());
        } finally {
            owner.destroyForcibly().waitFor();
        }
        long deadline = System.currentTimeMillis() + WAIT_MS;
        AppState state = AppState.APP_STATE_EPHEMERAL;
        while (state != AppState.APP_STATE_STOPPED && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            state = client.<AppInfo>unary("Apps/Describe", AppRef.newBuilder().setName("dev-app").build(), null).getState();
        }
        assertEquals(AppState.APP_STATE_STOPPED, state);
        assertTrue(Files.readString(paths.logFile()).contains("app dev-app"));
    }

    @Test
    void killMinus9OfTheServerThenTheAppIsBackAndItsScheduleResumes() throws Exception {
        ServerPaths crash = new ServerPaths(Files.createTempDirectory("fak"));
        ProcessHandle first = ServerLauncher.ofThisJvm().start(crash);
        String id;
        try (FerryClient c = FerryClient.connect(crash.socket())) {
            id = deploy(c, "pulse", "", scheduled(fn("beat", "long beat() { return System.currentTimeMillis(); }"), "every 1s"))
                    .getAppId();
            assertTrue(awaitCalls(c, "pulse", l -> l.stream().anyMatch(AppsProcessTest::finished)).stream()
                    .anyMatch(AppsProcessTest::finished));
        }
        first.destroyForcibly(); // SIGKILL
        first.onExit().get();
        long restarted = System.currentTimeMillis();
        ProcessHandle second = ServerLauncher.ofThisJvm().start(crash);
        try (FerryClient c = FerryClient.connect(crash.socket())) {
            assertNotEquals(first.pid(), c.status(java.time.Duration.ofSeconds(5)).getPid());
            AppInfo back = c.unary("Apps/Describe", AppRef.newBuilder().setName("pulse").build(), null);
            assertEquals(id, back.getAppId());
            assertEquals(AppState.APP_STATE_DEPLOYED, back.getState());
            assertTrue(back.getFunctions(0).getNextRunMs() > restarted, back.toString());
            List<CallInfo> after = awaitCalls(c, "pulse", l -> l.stream()
                    .anyMatch(i -> i.getCreatedAtMs() >= restarted && i.getState() == CallState.CALL_STATE_SUCCEEDED));
            assertTrue(after.stream().anyMatch(i -> i.getCreatedAtMs() >= restarted && i.getState() == CallState.CALL_STATE_SUCCEEDED),
                    after.toString());
            assertTrue(Files.readString(crash.logFile()).contains("app pulse (" + id + ", version 1) is back"));
        } finally {
            second.destroyForcibly();
            second.onExit().get();
        }
    }

    static String ferry(int expectedStatus, String... args) {
        return FunctionsProcessTest.ferry(paths, expectedStatus, args);
    }

    @Test
    void ferryDeployAnAppFileThenListLogsRunScheduleAndStop() throws Exception {
        Path dir = Files.createTempDirectory("fapp");
        Path file = dir.resolve("greeter.jsh");
        Files.writeString(file, """
                // an app file: Ferry cells separated by //%% lines
                String greeting(String who) { return "hello " + who; }
                //%%
                %%function
                String greet(String who) { return greeting(who); }
                //%%
                %%function schedule="cron 0 9 * * * Europe/Paris"
                String morning() { return greet("world"); }
                //%%
                %deploy greeter
                """);
        String out = ferry(0, "deploy", file.toString());
        assertTrue(out.contains("Deployed greeter (ap-"), out);
        assertTrue(out.contains("morning  cron 0 9 * * * Europe/Paris, next run "), out);
        String list = ferry(0, "app", "list");
        assertTrue(list.contains("greeter  ap-"), list);
        assertTrue(list.contains("from " + file.toAbsolutePath()), list);
        String run = ferry(0, "app", "run-schedule", "greeter", "morning");
        String callId = run.substring(0, run.indexOf(' '));
        assertEquals("hello world\n", ferry(0, "call", "get", callId, "--timeout", "120s"));
        String logs = ferry(0, "app", "logs", "greeter");
        assertTrue(logs.contains(callId + "  morning"), logs);
        assertTrue(logs.contains("succeeded"), logs);

        Path other = dir.resolve("other.jsh");
        Files.writeString(other, "%%function\nint one() { return 1; }\n");
        String refused = ferry(1, "deploy", other.toString(), "--name", "greeter");
        assertTrue(refused.contains("an app named 'greeter' is already deployed from " + file.toAbsolutePath()), refused);

        Path broken = dir.resolve("broken.jsh");
        Files.writeString(broken, "int fine() { return 1; }\n//%%\n%%function\nint bad(int x) {\n    return x +* 2;\n}\n");
        String err = ferry(1, "deploy", broken.toString());
        assertTrue(err.contains("broken.jsh:5"), err);
        assertTrue(err.contains("return x +* 2;"), err);
        assertTrue(err.contains("^"), err);
        assertTrue(ferry(0, "app", "stop", "greeter").startsWith("stopped greeter (ap-"));
    }

    @Test
    void ferryRunCallsTheEntrypointAgainstAnEphemeralAppThenStopsIt() throws Exception {
        Path file = Files.createTempDirectory("frun").resolve("once.jsh");
        Files.writeString(file, """
                %%function
                int triple(int x) { return 3 * x; }
                //%%
                void main() {
                    System.out.println("remote says " + triple.remote(14));
                    System.out.println("by name " + dev.ferry.Function.<Integer>fromName("once", "triple").remote(2));
                }
                """);
        String out = ferry(0, "run", file.toString());
        assertTrue(out.contains("Serving once (ap-"), out);
        assertTrue(out.contains("remote says 42"), out);
        assertTrue(out.contains("by name 6"), out);
        assertTrue(out.contains("stopped once"), out);
        AppInfo after = client.unary("Apps/Describe", AppRef.newBuilder().setName("once").build(), null);
        assertEquals(AppState.APP_STATE_STOPPED, after.getState());
        Path none = file.resolveSibling("none.jsh");
        Files.writeString(none, "%%function\nint f() { return 1; }\n");
        assertTrue(ferry(2, "run", none.toString()).contains("has no local entrypoint: declare a method void main()"));
    }

    @Test
    void ferryServeRedeploysOnSaveKeepingTheIdAndStopsAtTheEnd() throws Exception {
        Path file = Files.createTempDirectory("fserve").resolve("live.jsh");
        Files.writeString(file, "%%function\nint v() { return 1; }\n");
        java.io.StringWriter out = new java.io.StringWriter();
        Thread serve = new Thread(() -> dev.ferry.cli.FerryCommand.run(new java.io.PrintWriter(out, true),
                new java.io.PrintWriter(out, true), "serve", file.toString(), "--poll", "200ms", "--data-dir",
                paths.dataDir().toString()));
        serve.start();
        try {
            long deadline = System.currentTimeMillis() + WAIT_MS;
            while (!out.toString().contains("Serving live (") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            AppInfo first = client.unary("Apps/Describe", AppRef.newBuilder().setName("live").build(), null);
            assertEquals(AppState.APP_STATE_EPHEMERAL, first.getState(), out.toString());
            Files.writeString(file, "%%function\nint v() { return 2; }\n");
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
            while (!out.toString().contains("version 2") && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            AppInfo second = client.unary("Apps/Describe", AppRef.newBuilder().setName("live").build(), null);
            assertEquals(first.getAppId(), second.getAppId(), out.toString());
            assertEquals(2, second.getVersion(), out.toString());
            FunctionSpec v = client.unary("Apps/Lookup", FunctionRef.newBuilder().setApp("live").setFunction("v").build(), null);
            assertEquals("int v() { return 2; }", v.getMethodSource());
        } finally {
            serve.interrupt();
            serve.join(WAIT_MS);
        }
        assertTrue(out.toString().contains("stopped live"), out.toString());
        assertEquals(AppState.APP_STATE_STOPPED,
                client.<AppInfo>unary("Apps/Describe", AppRef.newBuilder().setName("live").build(), null).getState());
    }

    @Test
    void ferryDeployOfANotebookRunsItsCellsUpToTheDeployLine() throws Exception {
        Path nb = Files.createTempDirectory("fnb").resolve("jobs.ipynb");
        Files.writeString(nb, """
                {"cells": [
                  {"cell_type": "markdown", "metadata": {}, "source": ["# Jobs"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                   "source": ["%%function\\n", "int process_job(int n) { return n + 1; }"]},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null, "source": "%deploy jobs"},
                  {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": null,
                   "source": "throw new IllegalStateException(\\"a cell after the deploy line must not run\\");"}
                ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
                """);
        String out = ferry(0, "deploy", nb.toString());
        assertTrue(out.contains("Deployed jobs (ap-"), out);
        FunctionSpec f = client.unary("Apps/Lookup", FunctionRef.newBuilder().setApp("jobs").setFunction("process_job").build(), null);
        assertEquals("int process_job(int n) { return n + 1; }", f.getMethodSource());
    }
}

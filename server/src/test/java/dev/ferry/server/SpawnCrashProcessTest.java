package dev.ferry.server;

import dev.ferry.client.FerryClient;
import dev.ferry.client.ServerLauncher;
import dev.ferry.proto.v1.CallRef;
import dev.ferry.proto.v1.CallResult;
import dev.ferry.proto.v1.CallState;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.server.functions.CallsDb;
import dev.ferry.storage.Codec;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.ferry.server.FunctionsProcessTest.WAIT_MS;
import static dev.ferry.server.FunctionsProcessTest.get;
import static dev.ferry.server.FunctionsProcessTest.spawn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kill -9 of the server in the middle of 1,000 spawned calls: after a restart each call ends exactly once. */
class SpawnCrashProcessTest {
    static final int CALLS = 1000;

    @Test
    void everyAcceptedCallEndsExactlyOnceAcrossAKillMinus9() throws Exception {
        ServerPaths crash = new ServerPaths(Files.createTempDirectory("fc"));
        FunctionSpec cheap = FunctionSpec.newBuilder().setName("tenfold").setMethodSource("int tenfold(int x) throws Exception { Thread.sleep(50); return 10 * x; }").build();
        List<String> ids = new ArrayList<>();
        ProcessHandle first = ServerLauncher.ofThisJvm().start(crash);
        try (FerryClient c = FerryClient.connect(crash.socket())) {
            for (int i = 0; i < CALLS; i++) {
                ids.add(spawn(c, cheap, i));
            }
            // midway: some calls done, the rest pending or running
            CallResult r = get(c, ids.get(CALLS / 10), WAIT_MS);
            assertEquals(CallState.CALL_STATE_SUCCEEDED, r.getState(), r.toString());
            assertTrue(c.<CallResult>unary("Functions/Status", CallRef.newBuilder().setCallId(ids.get(CALLS - 1)).build(), null)
                    .getState() != CallState.CALL_STATE_SUCCEEDED, "the last call had not run yet when the server was killed");
        } finally {
            first.destroyForcibly(); // SIGKILL
            first.onExit().get();
        }
        ProcessHandle second = ServerLauncher.ofThisJvm().start(crash);
        try (FerryClient c = FerryClient.connect(crash.socket())) {
            for (int i = 0; i < CALLS; i++) {
                CallResult r = get(c, ids.get(i), WAIT_MS);
                assertEquals(CallState.CALL_STATE_SUCCEEDED, r.getState(), ids.get(i) + ": " + r);
                assertEquals(10 * i, Codec.decode(r.getValue().toByteArray()), ids.get(i));
            }
        } finally {
            second.destroy();
            second.onExit().get();
        }
        try (CallsDb db = CallsDb.open(crash.callsDb())) {
            assertEquals(0, db.inFlight());
            assertEquals(CALLS, db.list(10 * CALLS).size(), "no call lost, none added");
            for (String id : ids) {
                CallsDb.Row row = db.get(id);
                assertEquals(CallState.CALL_STATE_SUCCEEDED, row.state(), id);
                assertTrue(row.finishedMs() >= row.createdMs() && row.attempts() >= 1, row.toString());
            }
        }
        // each outcome was recorded once: the server logs an outcome only when it is the one written
        Map<String, Integer> ended = new HashMap<>();
        Matcher m = Pattern.compile("(fc-[0-9a-z]{26}) CALL_STATE_\\w+ after").matcher(Files.readString(crash.logFile()));
        while (m.find()) {
            ended.merge(m.group(1), 1, Integer::sum);
        }
        ended.forEach((id, n) -> assertEquals(1, n, id + " ended " + n + " times"));
        assertTrue(ended.size() >= CALLS - 10, "outcomes logged: " + ended.size());
        assertTrue(Files.readString(crash.logFile()).contains("resuming " + ids.get(CALLS - 1)));
    }
}

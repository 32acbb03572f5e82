package dev.ferry.remote;

import com.google.gson.JsonObject;
import dev.ferry.remote.engine.WorkerLaunch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/** Drives a real worker JVM (a child process) through the frame protocol. */
class WorkerProcessTest {
    static Worker worker;

    static WorkerLaunch launch() {
        String java = ProcessHandle.current().info().command().orElse("java");
        return WorkerLaunch.of(java, List.of("-XX:+UseSerialGC"), System.getProperty("java.class.path"));
    }

    @BeforeAll
    static void start() throws Exception {
        worker = Worker.start(launch(), e -> {});
        worker.ready().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    record Run(List<WorkerEvent> events, WorkerEvent last) {
        String out() {
            StringBuilder b = new StringBuilder();
            events.stream().filter(e -> e instanceof WorkerEvent.Stream).forEach(e -> b.append(((WorkerEvent.Stream) e).text()));
            return b.toString();
        }

        JsonObject result() {
            return ((WorkerEvent.Result) last).fields();
        }
    }

    static Run run(Worker w, String code) throws Exception {
        Worker.Execution ex = w.execute(code, 1, false);
        List<WorkerEvent> events = new ArrayList<>();
        while (true) {
            WorkerEvent e = ex.next(30, TimeUnit.SECONDS);
            assertNotNull(e, "no event within 30 s; so far: " + events);
            events.add(e);
            if (e instanceof WorkerEvent.InputRequest ir) {
                w.answerInput(ir.rid(), "typed");
            }
            if (e instanceof WorkerEvent.Result || e instanceof WorkerEvent.Died) {
                return new Run(events, e);
            }
        }
    }

    @Test
    void printsAndReturnsTheFinalExpression() throws Exception {
        Run r = run(worker, "import java.util.*;\nrecord P(int x, int y) {}\nint twice(int a) { return 2 * a; }\n"
                + "System.out.println(\"hi\");\nvar p = new P(1, twice(2));\np");
        assertEquals("hi\n", r.out());
        assertEquals("ok", r.result().get("status").getAsString());
        assertEquals("P[x=1, y=4]", r.result().getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void strings_show_without_quotes_and_semicolon_suppresses() throws Exception {
        assertEquals("abc", run(worker, "\"abc\"").result().getAsJsonObject("data").get("text/plain").getAsString());
        assertFalse(run(worker, "1+1;").result().has("data"));
        assertEquals("[1, 2]", run(worker, "new int[] {1, 2}").result().getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void rawOutputOfAChildProcessIsCellOutputBeforeTheResult() throws Exception {
        Run r = run(worker, "new ProcessBuilder(\"sh\", \"-c\", \"echo from-child; echo to-err >&2\").inheritIO().start().waitFor();");
        assertTrue(r.out().contains("from-child\n"), r.out());
        assertTrue(r.out().contains("to-err\n"), r.out());
        assertEquals("ok", r.result().get("status").getAsString());
        assertEquals("2", run(worker, "1+1").result().getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void exceptionsShowCellLinesNotInternals() throws Exception {
        Run r = run(worker, "int a = 1;\nvoid boom() { throw new IllegalStateException(\"boom\"); }\nboom();");
        JsonObject res = r.result();
        assertEquals("error", res.get("status").getAsString());
        assertEquals("java.lang.IllegalStateException", res.get("ename").getAsString());
        assertEquals("boom", res.get("evalue").getAsString());
        String tb = res.getAsJsonArray("traceback").toString();
        assertTrue(tb.contains("line 2"), tb);
        assertTrue(tb.contains("line 3"), tb);
        assertFalse(tb.contains("dev.ferry"), tb);
        assertFalse(tb.contains("jdk.jshell"), tb);
    }

    @Test
    void compileErrorsShowLineAndCaret() throws Exception {
        JsonObject res = run(worker, "int ok = 1;\nint x = \"s\";").result();
        assertEquals("CompilationException", res.get("ename").getAsString());
        List<String> tb = new ArrayList<>();
        res.getAsJsonArray("traceback").forEach(e -> tb.add(e.getAsString()));
        assertTrue(tb.get(0).contains("line 2"), tb.toString());
        assertTrue(tb.get(0).contains("incompatible types"), tb.toString());
        assertEquals("    int x = \"s\";", tb.get(1));
        assertTrue(tb.get(2).startsWith("            "), tb.toString());
        assertTrue(tb.get(2).contains("^"), tb.toString());
    }

    @Test
    void stdinBecomesInputRequests() throws Exception {
        Run r = run(worker, "new java.util.Scanner(System.in).nextLine()");
        assertTrue(r.events().stream().anyMatch(e -> e instanceof WorkerEvent.InputRequest));
        assertEquals("typed", r.result().getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void interruptStopsALoopAndKeepsVariables() throws Exception {
        run(worker, "int keep = 42;");
        Worker.Execution ex = worker.execute("while (true) {}", 2, false);
        Thread.sleep(300);
        long t0 = System.nanoTime();
        worker.interrupt();
        WorkerEvent e;
        do {
            e = ex.next();
        } while (!(e instanceof WorkerEvent.Result));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals("error", ((WorkerEvent.Result) e).fields().get("status").getAsString());
        assertEquals("Interrupted", ((WorkerEvent.Result) e).fields().get("ename").getAsString());
        assertTrue(ms < 1000, "took " + ms + " ms");
        assertEquals("42", run(worker, "keep").result().getAsJsonObject("data").get("text/plain").getAsString());
    }

    @Test
    void completeInspectIsComplete() throws Exception {
        JsonObject f = new JsonObject();
        f.addProperty("code", "int a = 1;\nSyst");
        f.addProperty("cursor", 15);
        JsonObject c = worker.request("complete", f).get(30, TimeUnit.SECONDS);
        assertTrue(c.getAsJsonArray("matches").toString().contains("\"System\""), c.toString());
        assertEquals(11, c.get("cursor_start").getAsInt());
        assertEquals(15, c.get("cursor_end").getAsInt());

        JsonObject i = new JsonObject();
        i.addProperty("code", "String.valueOf");
        i.addProperty("cursor", 14);
        JsonObject doc = worker.request("inspect", i).get(30, TimeUnit.SECONDS);
        assertTrue(doc.get("found").getAsBoolean(), doc.toString());

        JsonObject ic = new JsonObject();
        ic.addProperty("code", "for (int i = 0; i < 3; i++) {");
        assertEquals("incomplete", worker.request("is_complete", ic).get(30, TimeUnit.SECONDS).get("completeness").getAsString());
        ic.addProperty("code", "int z = 1;");
        assertEquals("complete", worker.request("is_complete", ic).get(30, TimeUnit.SECONDS).get("completeness").getAsString());
    }

    @Test
    void systemExitIsADeathThatExplainsTheLoss() throws Exception {
        Worker w = Worker.start(launch(), e -> {});
        w.ready().get(60, TimeUnit.SECONDS);
        Run r = run(w, "System.exit(3);");
        WorkerDeath d = ((WorkerEvent.Died) r.last()).death();
        assertEquals(3, d.exitCode());
        assertTrue(d.explain().contains("session state was lost"), d.explain());
    }
}

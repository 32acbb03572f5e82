package dev.ferry.remote;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static dev.ferry.remote.WorkerProcessTest.run;
import static org.junit.jupiter.api.Assertions.*;

/** A session as a notebook user meets it: redefinitions, imports, hints, inspect, display handles. */
class WorkerSessionTest {
    static Worker worker;

    @BeforeAll
    static void start() throws Exception {
        worker = Worker.start(WorkerProcessTest.launch(), e -> {});
        worker.ready().get(60, TimeUnit.SECONDS);
    }

    @AfterAll
    static void stop() {
        worker.close();
    }

    static String err(WorkerProcessTest.Run r) {
        StringBuilder b = new StringBuilder();
        r.events().stream().filter(e -> e instanceof WorkerEvent.Stream s && s.name().equals("stderr"))
                .forEach(e -> b.append(((WorkerEvent.Stream) e).text()));
        return b.toString();
    }

    static String errorText(WorkerProcessTest.Run r) {
        JsonObject res = r.result();
        assertEquals("error", res.get("status").getAsString(), res.toString());
        return res.get("evalue").getAsString() + "\n" + res.getAsJsonArray("traceback").toString().replaceAll("\\\\u001b\\[[0-9;]*m", "");
    }

    static String text(WorkerProcessTest.Run r) {
        JsonObject res = r.result();
        assertEquals("ok", res.get("status").getAsString(), res.toString());
        return res.getAsJsonObject("data").get("text/plain").getAsString();
    }

    @Test
    void redefiningAClassSaysWhichVariablesWereResetOrDropped() throws Exception {
        run(worker, "class Counter { int n; void inc() { n++; } }");
        run(worker, "var c = new Counter(); c.inc();");
        run(worker, "Counter d = new Counter();\nCounter none = null;\nint keep = 5;");
        WorkerProcessTest.Run r = run(worker, "class Counter { int n; int m; void inc() { n++; } }");
        assertEquals("ok", r.result().get("status").getAsString());
        String notes = err(r);
        assertTrue(notes.contains("class Counter changed: variable c (Counter) was dropped"), notes);
        assertTrue(notes.contains("class Counter changed: variable d (Counter) was reset to null"), notes);
        assertTrue(notes.contains("re-run the cell that defines it"), notes);
        assertFalse(notes.contains("variable none"), "nothing was lost in a null variable: " + notes);
        assertFalse(notes.contains("keep"), notes);
        // %who lists only what can be used: d (reset) and the untouched ones, not the dropped c
        List<String> who = List.of(run(worker, "%who").out().strip().split("\\s+"));
        assertTrue(who.containsAll(List.of("d", "keep", "none")), who.toString());
        assertFalse(who.contains("c"), who.toString());
        assertEquals("null", text(run(worker, "String.valueOf(d)")));
        assertEquals("5", text(run(worker, "keep")));
        // d follows its new class: a new value is the live object again
        run(worker, "d = new Counter(); d.m = 3;");
        assertEquals("3", text(run(worker, "d.m")));
    }

    @Test
    void aCellThatDefinesTheVariableAgainGetsNoNoticeForIt() throws Exception {
        run(worker, "record Pt(int x) {}\nvar pt = new Pt(1);");
        run(worker, "Pt elsewhere = new Pt(7);");
        WorkerProcessTest.Run r = run(worker, "record Pt(int x, int y) {}\nvar pt = new Pt(1, 2);");
        String notes = err(r);
        assertFalse(notes.contains("variable pt"), notes);
        assertTrue(notes.contains("record Pt changed: variable elsewhere (Pt) was dropped"), notes);
        assertEquals("Pt[x=1, y=2]", text(run(worker, "pt")));
    }

    @Test
    void anInterfaceChangeNamesTheDeclarationThatStoppedCompiling() throws Exception {
        run(worker, "interface Shape {}\nrecord Sq(int s) implements Shape {}\nShape sh = new Sq(2);");
        String notes = err(run(worker, "interface Shape { int area(); }"));
        assertTrue(notes.contains("interface Shape changed: record Sq no longer compiles"), notes);
        assertTrue(notes.contains("variable sh (Shape) was dropped"), notes);
    }

    @Test
    void anOnDemandImportLeavesTheCommonNamesAlone() throws Exception {
        run(worker, "List<String> before = new ArrayList<>(List.of(\"a\"));");
        WorkerProcessTest.Run imp = run(worker, "import java.awt.*;");
        assertEquals("ok", imp.result().get("status").getAsString());
        assertEquals("", err(imp), "the import changed nothing that exists");
        assertEquals("[a, b]", text(run(worker, "List<String> l = new ArrayList<>(List.of(\"a\", \"b\"));\nl")));
        assertEquals("[a]", text(run(worker, "before")));
        assertEquals("java.awt.Point[x=1,y=2]", text(run(worker, "new Point(1, 2).toString()")));
        // Ferry's types keep winning over the JDK's namesakes (java.util.Queue)
        assertEquals("dev.ferry.Queue", text(run(worker, "Queue.class.getName()")));
        assertEquals("dev.ferry.Function", text(run(worker, "Function.class.getName()")));
        assertEquals("java.util.function.Function", text(run(worker, "java.util.function.Function.class.getName()")));
        // the notebook's own single-type import wins over Ferry's preferred one
        run(worker, "import java.awt.List;");
        assertEquals("java.awt.List", text(run(worker, "List.class.getName()")));
        run(worker, "import java.util.List;");
    }

    @Test
    void missingModalNamesGetAHint() throws Exception {
        String f = errorText(run(worker, "Function.lookup(\"app\", \"fn\")"));
        assertTrue(f.contains("hint: a deployed app's function is Function.fromName(") && f.contains("%deploy NAME"), f);
        for (String name : List.of("Cron", "Period")) {
            String t = errorText(run(worker, name + " x = null;"));
            assertTrue(t.contains("hint: " + name + " is Modal's; in Ferry a schedule is schedule=") && t.contains("every 5m"), t);
        }
        String a = errorText(run(worker, "var app = App.lookup(\"x\");"));
        assertTrue(a.contains("hint: App is Modal's, and not in Ferry yet as a type"), a);
        String s = errorText(run(worker, "Sandbox x = null;"));
        assertTrue(s.contains("hint: Sandbox is Modal's, and not in Ferry yet") && s.contains("%%remote"), s);
        String other = errorText(run(worker, "Strin s = null;"));
        assertFalse(other.contains("hint:"), other);
    }

    @Test
    void inspectFindsTheNameAroundTheCursor() throws Exception {
        for (int cursor : new int[] {"String.val".length(), "String.valueOf".length(), "Str".length()}) {
            JsonObject i = new JsonObject();
            i.addProperty("code", "String.valueOf(1)");
            i.addProperty("cursor", cursor);
            JsonObject doc = worker.request("inspect", i).get(30, TimeUnit.SECONDS);
            assertTrue(doc.get("found").getAsBoolean(), cursor + ": " + doc);
        }
        JsonObject i = new JsonObject();
        i.addProperty("code", "String.valueOf(1)");
        i.addProperty("cursor", "String.val".length());
        String text = worker.request("inspect", i).get(30, TimeUnit.SECONDS).getAsJsonObject("data").get("text/plain").getAsString();
        assertTrue(text.contains("valueOf"), text);
    }

    @Test
    void updatingAHandleWithHtmlShowsTheHtml() throws Exception {
        run(worker, "var h = display(\"first\");");
        WorkerProcessTest.Run r = run(worker, "h.update(html(\"<b>second</b>\"))");
        List<JsonObject> shown = r.events().stream().filter(e -> e instanceof WorkerEvent.Display)
                .map(e -> ((WorkerEvent.Display) e).frame()).toList();
        String hid = text(run(worker, "h.id()"));
        JsonObject toH = shown.stream().filter(f -> f.get("display_id").getAsString().equals(hid)).reduce((a, b) -> b)
                .orElseThrow(() -> new AssertionError("no update of h: " + shown));
        assertTrue(toH.get("update").getAsBoolean(), toH.toString());
        assertEquals("<b>second</b>", toH.getAsJsonObject("data").get("text/html").getAsString(), toH.toString());
        // the html(...) output moved into h: its own output is left empty
        JsonObject other = shown.stream().filter(f -> !f.get("display_id").getAsString().equals(hid)).reduce((a, b) -> b)
                .orElseThrow();
        assertEquals("", other.getAsJsonObject("data").get("text/plain").getAsString(), other.toString());
        assertFalse(r.result().has("data"), "a handle is not shown again as the cell's value: " + r.result());
        assertFalse(run(worker, "html(\"<i>x</i>\")").result().has("data"));
    }
}

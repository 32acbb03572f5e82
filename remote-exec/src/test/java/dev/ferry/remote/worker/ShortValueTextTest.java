package dev.ferry.remote.worker;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** JShell's text of a snippet's value: short for big collections, as JShell spells it otherwise; errors unchanged. */
class ShortValueTextTest {
    static JShellHost host;
    static int cell;

    @BeforeAll
    static void start() {
        host = new JShellHost();
    }

    private static JShellHost.JavaOutcome run(String code) {
        JShellHost.JavaOutcome o = host.runJava(code, ++cell, 1);
        assertTrue(o.ok(), () -> code + ": " + o.error());
        return o;
    }

    @Test
    void aBigListIsNeverSpelledOutWholeButStaysLive() {
        // a list whose toString counts its calls: JShell used to call it for every snippet with a value
        run("""
                class Counted extends java.util.AbstractList<Integer> {
                    static int texts;
                    public Integer get(int i) { return i; }
                    public int size() { return 1_000_000; }
                    @Override public String toString() { texts++; return super.toString(); }
                }""");
        run("var c = new Counted();");
        JShellHost.JavaOutcome o = run("c");
        assertEquals("0", run("Counted.texts").valueText(), "the whole list was turned into text");
        assertEquals(1_000_000, ((List<?>) o.value()).size(), "the live value is what the renderer gets");
        assertTrue(o.valueText().startsWith("[0, 1, 2, ") && o.valueText().endsWith("… (999900 more)]"),
                o.valueText());
        String array = run("new int[3_000_000]").valueText();
        assertTrue(array.length() < ShortValueText.BUDGET + 100 && array.endsWith("(2999900 more)]"), array);
    }

    @Test
    void otherValuesAreAsJShellSpellsThem() {
        assertEquals("\"hi\"", run("\"hi\"").valueText());
        assertEquals("3", run("1 + 2").valueText());
        assertEquals("'x'", run("'x'").valueText());
        assertEquals("null", run("(Object) null").valueText());
        run("record Pt(int x, int y) {}");
        assertEquals("Pt[x=1, y=2]", run("new Pt(1, 2)").valueText());
    }

    @Test
    void anExceptionOfASnippetIsReportedAsBefore() {
        run("int fail() { throw new IllegalStateException(\"no luck\"); }");
        JShellHost.JavaOutcome o = host.runJava("fail()", ++cell, 1);
        assertFalse(o.ok());
        String report = o.error().toString();
        assertTrue(report.contains("java.lang.IllegalStateException") && report.contains("no luck"), report);
        assertTrue(report.contains("at fail (In ["), report);
        assertFalse(report.contains("ShortValueText"), report);
    }
}

package dev.ferry.remote.worker;

import com.google.gson.JsonObject;
import jdk.jshell.JShell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CompletenessTest {
    private static JShell shell;
    private static Completeness completeness;

    @BeforeAll
    static void start() {
        shell = JShell.builder().executionEngine("local").build();
        completeness = new Completeness(shell.sourceCodeAnalysis());
    }

    @AfterAll
    static void stop() {
        shell.close();
    }

    private static String verdict(String code) {
        return completeness.check(code).get("completeness").getAsString();
    }

    @Test
    void codeThatCanNeverParseIsInvalid() {
        for (String code : new String[] {"int = 7q;", "int x = ;)", "int f() { return 1 }", "1 +* 2;", "}",
                "String s = \"abc", "int x = 1; int = 2;"}) {
            assertEquals("invalid", verdict(code), code);
        }
    }

    @Test
    void syntaxAloneCountsSoUnknownNamesAreComplete() {
        for (String code : new String[] {"int x = 1;", "int x = 1", "1 + 1", "undefinedName", "foo(1, 2)",
                "System.out.println(1)", "import java.util.*;", "public static int twice(int a) { return 2 * a; }",
                "record P(int x) {}", "var m = new HashMap<String, List<Foo>>();", "", "// only a comment"}) {
            assertEquals("complete", verdict(code), code);
        }
    }

    @Test
    void everySnippetOfALongCellIsChecked() {
        StringBuilder cell = new StringBuilder();
        for (int i = 0; i < 50; i++) {
            cell.append("int v").append(i).append(" = ").append(i).append(";\n");
        }
        cell.append("int f() { return v1; }\npublic static int g = 2;\nint w = 3;\n");
        assertEquals("complete", verdict(cell + "v1 + v2"));
        assertEquals("invalid", verdict(cell + "int h() { return 1 }\nint z = 4;\n"));
        assertEquals("invalid", verdict("int = 7q;\nfor (int i = 0; i < 3; i++) {"), "no continuation fixes the first line");
    }

    @Test
    void anOpenBlockIsIncompleteWithFourSpacesPerOpenBrace() {
        JsonObject r = completeness.check("for (int i = 0; i < 3; i++) {");
        assertEquals("incomplete", r.get("completeness").getAsString());
        assertEquals("    ", r.get("indent").getAsString());
        assertEquals("        ", completeness.check("void f() {\n    if (true) {").get("indent").getAsString());
        assertEquals("    ", completeness.check("void f() {\n    String s = \"{\"; // {\n").get("indent").getAsString());
        assertEquals("incomplete", verdict("foo("));
        assertEquals("incomplete", verdict("/* still a comment"));
    }

    @Test
    void aCellMagicIsCompleteOnceItsLastLineIsBlankAsInIPython() {
        assertEquals("incomplete", verdict("%%sql"));
        assertEquals("incomplete", verdict("%%sql\nSELECT 1\n"));
        assertEquals("complete", verdict("%%sql\nSELECT 1\n\n"));
        assertEquals("", completeness.check("%%sql").get("indent").getAsString());
    }

    @Test
    void lineMagicsAreCompleteAndTheJavaAroundThemIsChecked() {
        assertEquals("complete", verdict("%time 1 + 1"));
        assertEquals("complete", verdict("int a = 1;\n%who\nint b = 2;"));
        assertEquals("incomplete", verdict("%who\nfor (int i = 0; i < 3; i++) {"));
        assertEquals("invalid", verdict("%who\nint = 7q;"));
        assertEquals("invalid", verdict("int a = 1;\n%%time"), "a cell magic after the first line");
    }
}

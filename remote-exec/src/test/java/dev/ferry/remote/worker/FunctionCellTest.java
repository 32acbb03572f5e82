package dev.ferry.remote.worker;

import dev.ferry.magics.MagicException;
import jdk.jshell.JShell;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionCellTest {
    private static JShell shell;
    private static CellSplitter splitter;

    @BeforeAll
    static void start() {
        shell = JShell.builder().executionEngine("local").build();
        splitter = new CellSplitter(shell.sourceCodeAnalysis());
    }

    @AfterAll
    static void stop() {
        shell.close();
    }

    private static FunctionCell cell(String body) {
        return FunctionCell.of(body, FunctionCell.snippets(body, splitter, shell.sourceCodeAnalysis()));
    }

    @Test
    void oneMethodGivesItsNameSignatureAndBoxedReturnType() {
        FunctionCell c = cell("// squares\nstatic int square(int x) {\n  return x * x;\n}\n");
        assertEquals("square", c.name());
        assertEquals(List.of("int"), c.signature().parameterTypes());
        assertEquals(List.of("x"), c.signature().parameterNames());
        assertEquals("Integer", c.boxedReturnType());
        assertEquals("Void", cell("void ping() { }").boxedReturnType());
        assertEquals("List<String>", cell("List<String> words(String s, Map<String, Integer> m) { return null; }")
                .boxedReturnType());
        assertEquals(List.of("String", "Map<String, Integer>"),
                cell("List<String> words(String s, Map<String, Integer> m) { return null; }").signature().parameterTypes());
    }

    @Test
    void anythingButExactlyOneMethodIsRefusedSayingWhatTheCellHolds() {
        String[][] cases = {
                {"int a = 3;", "This cell holds a variable a"},
                {"int f(int x) { return x; }\nint g(int x) { return x; }", "This cell holds a method f, a method g: move"},
                {"", "This cell holds nothing"},
                {"  \n", "This cell holds nothing"},
                {"System.out.println(1);", "This cell holds a statement"},
                {"record P(int x) {}", "This cell holds a type P"},
                {"1 + 1", "This cell holds an expression"},
                {"import java.time.*;\nint f() { return 1; }", "This cell holds an import"},
        };
        for (String[] c : cases) {
            MagicException e = assertThrows(MagicException.class, () -> cell(c[0]), c[0]);
            assertTrue(e.getMessage().startsWith("%%function needs a cell holding exactly one method declaration"), e.getMessage());
            assertTrue(e.getMessage().contains(FunctionCell.EXAMPLE), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), c[0] + " → " + e.getMessage());
        }
    }
}

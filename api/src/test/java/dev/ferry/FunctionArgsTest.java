package dev.ferry;

import dev.ferry.spi.FunctionSpec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FunctionArgsTest {
    private static FunctionSpec spec(String name, List<String> types, List<String> names) {
        return new FunctionSpec(name, "", List.of(), types, names, "int", 0, 0, "process", Map.of());
    }

    private static final FunctionSpec SQUARE = spec("square", List.of("int"), List.of("x"));
    private static final FunctionSpec MIXED = spec("mix", List.of("long", "double", "String", "List<Integer>", "Point"),
            List.of("n", "d", "s", "xs", "p"));

    @Test
    void theNumberOfArgumentsIsChecked() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> FunctionArgs.check(SQUARE, new Object[] {1, 2}));
        assertEquals("square(int x) takes 1 argument, the call gave 2: call square.remote(7)", e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> FunctionArgs.check(MIXED, new Object[0]));
        assertTrue(e.getMessage().startsWith("mix(long n, double d, String s, List<Integer> xs, Point p) takes 5 arguments,"
                + " the call gave 0"), e.getMessage());
    }

    @Test
    void aWrongTypeNamesTheParameterWhatWasGivenAndAnExample() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> FunctionArgs.check(SQUARE, new Object[] {"seven"}));
        assertEquals("square(int x): argument 1 (x) is an int, the call gave a String \"seven\": pass an int, e.g."
                + " square.remote(7)", e.getMessage());
        e = assertThrows(InvalidArgumentException.class, () -> FunctionArgs.check(SQUARE, new Object[] {null}));
        assertTrue(e.getMessage().contains("argument 1 (x) is an int, the call gave null"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class,
                () -> FunctionArgs.check(MIXED, new Object[] {1L, 1.0, 5, List.of(), null}));
        assertTrue(e.getMessage().contains("argument 3 (s) is a String, the call gave an Integer 5"), e.getMessage());
        e = assertThrows(InvalidArgumentException.class,
                () -> FunctionArgs.check(MIXED, new Object[] {1L, 1.0, "s", Map.of(), null}));
        assertTrue(e.getMessage().contains("argument 4 (xs) is a List<Integer>"), e.getMessage());
    }

    @Test
    void primitivesWidenAsJavaWouldAndUncheckableTypesPass() {
        assertEquals(Arrays.asList(3L, 2.0, "s", List.of(1), "any"),
                FunctionArgs.check(MIXED, new Object[] {3, 2, "s", List.of(1), "any"}));
        assertEquals(List.of(4), FunctionArgs.check(SQUARE, new Object[] {(short) 4}));
        assertThrows(InvalidArgumentException.class, () -> FunctionArgs.check(SQUARE, new Object[] {4L}),
                "a long does not narrow to an int");
    }

    @Test
    void callIdsAreCheckedWithoutTheServer() {
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> FunctionCall.fromId("square-1"));
        assertTrue(e.getMessage().contains("is not a function call id: ids start with fc-"), e.getMessage());
        assertEquals("fc-abc", FunctionCall.fromId("fc-abc").id());
    }

    @Test
    void withoutARuntimeTheApiSaysWhereItRuns() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> FunctionCall.fromId("fc-x").status());
        assertTrue(e.getMessage().contains("declare the function with %%function in a Ferry kernel"), e.getMessage());
    }
}

package dev.ferry.server.functions;

import dev.ferry.remote.worker.MethodSignature;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MethodSignatureTest {
    @Test
    void readsTheReturnAndParameterTypes() {
        MethodSignature s = MethodSignature.parse("static int square(int x) { return x * x; }", "square");
        assertEquals("int", s.returnType());
        assertEquals(List.of("int"), s.parameterTypes());
        assertEquals(List.of("x"), s.parameterNames());
    }

    @Test
    void genericTypesAnnotationsVarargsAndComments() {
        MethodSignature s = MethodSignature.parse("""
                // sums things
                @SuppressWarnings("unchecked")
                public <T> java.util.Map<String, List<T>> group(final List<Map<String, T>> rows, /* c */ int n, String... tags) {
                    return null;
                }""", "group");
        assertEquals("java.util.Map<String, List<T>>", s.returnType());
        assertEquals(List.of("List<Map<String, T>>", "int", "String[]"), s.parameterTypes());
        assertEquals(List.of("rows", "n", "tags"), s.parameterNames());
    }

    @Test
    void voidAndNoParameters() {
        MethodSignature s = MethodSignature.parse("void ping() { }", "ping");
        assertTrue(s.returnsVoid());
        assertEquals(List.of(), s.parameterTypes());
        assertFalse(MethodSignature.parse("String ping() { return \"\"; }", "ping").returnsVoid());
    }

    @Test
    void aMethodOfAnotherNameIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> MethodSignature.parse("int cube(int x) { return x; }", "square"));
        assertTrue(e.getMessage().contains("does not declare a method named 'square'"));
    }

    @Test
    void callIdsHaveTheirFormAndSortByTime() {
        String a = CallIds.next(1_000);
        String b = CallIds.next(2_000);
        assertTrue(CallIds.valid(a), a);
        assertEquals(29, a.length());
        assertTrue(a.compareTo(b) < 0);
        assertFalse(CallIds.valid("fc-nope"));
    }

    @Test
    void theCallCellSendsTheValueOrNullForVoid() {
        assertEquals("dev.ferry.remote.worker.FunctionReturn.send(square(__ferry_arg0));",
                CallRunner.callCode("square", MethodSignature.parse("int square(int x) { return x; }", "square")));
        assertEquals("ping(); dev.ferry.remote.worker.FunctionReturn.send(null);",
                CallRunner.callCode("ping", MethodSignature.parse("void ping() { }", "ping")));
    }
}

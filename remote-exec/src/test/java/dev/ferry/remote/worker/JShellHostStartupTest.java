package dev.ferry.remote.worker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The default imports, evaluated at start as one snippet ({@link DefaultImports#STARTUP_SOURCE}). */
class JShellHostStartupTest {
    private static JShellHost host;

    @BeforeAll
    static void start() {
        host = new JShellHost();
        host.warmUp();
    }

    @AfterAll
    static void stop() {
        host = null;
    }

    private static String value(String code) {
        JShellHost.JavaOutcome o = host.runJava(code, 1, 1);
        assertTrue(o.ok(), () -> code + " failed: " + o.error());
        return String.valueOf(o.valueOrText());
    }

    @Test
    void everyDefaultImportIsInEffect() {
        assertEquals("java.util.concurrent.ExecutorService", value("ExecutorService.class.getName()"));
        assertEquals("java.nio.file.Path", value("Path.class.getName()"));
        assertEquals("dev.ferry.Queue", value("Queue.class.getName()"), "Ferry's Queue wins over java.util's");
        assertEquals("dev.ferry.Dict", value("Dict.class.getName()"));
    }

    @Test
    void importingADefaultPackageAgainKeepsTheOthers() {
        // JShell replaces an import snippet by a later one with the same first import
        value("import java.util.*;");
        value("import static dev.ferry.Display.*;");
        value("import dev.ferry.Dict;");
        assertEquals("java.util.function.Predicate", value("Predicate.class.getName()"));
        assertEquals("dev.ferry.Function", value("Function.class.getName()"), "Ferry's Function wins over java.util.function's");
        assertEquals("java.io.File", value("File.class.getName()"));
        assertEquals("dev.ferry.Queue", value("Queue.class.getName()"));
    }

    @Test
    void theDefaultImportsAreNotTheSessionsDeclarations() {
        assertTrue(host.declarations().stream().allMatch(d -> !DefaultImports.isFerrys(d)), host.declarations().toString());
        assertTrue(host.declarations().stream().noneMatch(d -> d.contains("java.lang.Object.*")), host.declarations().toString());
    }

    @Test
    void theWarmUpLeavesNoVariable() {
        assertTrue(host.variableValues().stream().noneMatch(v -> v.name().startsWith("$ferry")), "warm-up variables dropped");
    }
}

package dev.ferry.remote.worker;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class DefaultImportsTest {
    @Test
    void aFerryTypeWinsOverItsJdkNamesake() {
        assertTrue(DefaultImports.PREFERRED.contains("java.util.Queue"));
        assertFalse(DefaultImports.PREFERRED_IMPORTS.contains("import java.util.Queue;"), "Ferry's Queue wins");
        assertTrue(DefaultImports.STARTUP.contains("import dev.ferry.Queue;"));
        assertTrue(DefaultImports.PREFERRED_IMPORTS.contains("import java.util.List;"));
    }

    @Test
    void noTwoSingleTypeImportsShareASimpleName() {
        List<String> types = new ArrayList<>(DefaultImports.FERRY_TYPES);
        DefaultImports.PREFERRED_IMPORTS.forEach(i -> types.add(i.substring("import ".length(), i.length() - 1)));
        Set<String> simple = new HashSet<>();
        for (String t : types) {
            assertTrue(simple.add(DefaultImports.simpleName(t)), "two imports of " + DefaultImports.simpleName(t));
        }
    }

    @Test
    void theNotebooksOwnNamesAreLeftOut() {
        List<String> left = DefaultImports.preferredExcept(Set.of("List", "Function"));
        assertFalse(left.contains("import java.util.List;"));
        assertFalse(left.contains("import java.util.function.Function;"));
        assertTrue(left.contains("import java.util.Map;"));
    }

    @Test
    void recognisesOnDemandImports() {
        assertTrue(DefaultImports.isOnDemandImport("import java.awt.*;"));
        assertTrue(DefaultImports.isOnDemandImport("  import static java.lang.Math.*;\n"));
        assertFalse(DefaultImports.isOnDemandImport("import java.awt.List;"));
        assertFalse(DefaultImports.isOnDemandImport("int x = 1;"));
        assertTrue(DefaultImports.isFerrys("import java.util.*;"));
        assertTrue(DefaultImports.isFerrys("import java.util.List;"));
        assertFalse(DefaultImports.isFerrys("import java.awt.*;"));
    }

    @Test
    void typeNamesReadAsTheNotebookWritesThem() {
        Set<String> packages = Set.of("java.util", "java.util.function", "java.awt");
        Set<String> types = Set.of("dev.ferry.Secret", "dev.ferry.Dict", "dev.ferry.Function");
        assertEquals("Secret", DefaultImports.simplify("dev.ferry.Secret", packages, types));
        assertEquals("ArrayList<String>", DefaultImports.simplify("java.util.ArrayList<java.lang.String>", packages, types));
        assertEquals("Map<String, List<Dict>>",
                DefaultImports.simplify("java.util.Map<java.lang.String, java.util.List<dev.ferry.Dict>>", packages, types));
        assertEquals("Map.Entry<String, Integer>",
                DefaultImports.simplify("java.util.Map.Entry<java.lang.String, java.lang.Integer>", packages, types));
        // not imported: stays qualified; a name a Ferry type takes stays qualified for the JDK's namesake
        assertEquals("java.time.LocalDate", DefaultImports.simplify("java.time.LocalDate", packages, types));
        assertEquals("java.util.function.Function<String, Integer>",
                DefaultImports.simplify("java.util.function.Function<java.lang.String, java.lang.Integer>", packages, types));
        assertEquals("Function<Integer>", DefaultImports.simplify("dev.ferry.Function<java.lang.Integer>", packages, types));
        assertEquals("int[]", DefaultImports.simplify("int[]", packages, types));
    }
}

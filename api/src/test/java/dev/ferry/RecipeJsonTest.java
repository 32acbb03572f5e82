package dev.ferry;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RecipeJsonTest {
    @Test
    void stringsAreEscapedAsGsonEscapesThem() {
        // what Gson (disableHtmlEscaping) wrote for these, so ENTRYPOINT lines and image tags stay the same
        assertEquals("[\"a\\\"b\",\"c\\\\d\",\"<&>\",\"\\n\\t\\u0001\"]",
                RecipeJson.write(List.of("a\"b", "c\\d", "<&>", "\n\t\u0001")));
    }

    @Test
    void whatItWritesItReadsBack() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1L);
        m.put("s", "x \"y\" \\ \u00e9 \u2028");
        m.put("l", List.of("a", List.of(), Map.of()));
        m.put("t", true);
        m.put("n", null);
        assertEquals(m, RecipeJson.parse(RecipeJson.write(m)));
        assertEquals(Map.of("k", -12L), RecipeJson.parse(" { \"k\" : -12 } "));
    }

    @Test
    void brokenTextIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> RecipeJson.parse("{\"v\":1"));
        assertThrows(IllegalArgumentException.class, () -> RecipeJson.parse("{} x"));
        assertThrows(IllegalArgumentException.class, () -> RecipeJson.parse("[-]"));
    }
}

package dev.ferry.gpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class GpuSpecTest {

    @ParameterizedTest
    @EnumSource(GpuType.class)
    void everyValidNameParsesInAnyCase(GpuType type) {
        String name = type.specName();
        for (String written : List.of(name, name.toLowerCase(Locale.ROOT), name.toUpperCase(Locale.ROOT), " " + name + " ")) {
            GpuSpec spec = GpuSpec.parse(written);
            assertEquals(1, spec.choices().size());
            assertEquals(type, spec.first().type());
            assertEquals(1, spec.first().count());
            assertEquals(name, spec.toString(), "canonical form of '" + written + "'");
        }
    }

    @Test
    void validNamesAreTheDocumentedOnes() {
        assertEquals("any, T4, L4, A10G, L40S, A100, A100-40GB, A100-80GB, H100, H200, B200", GpuSpec.validNames());
    }

    @ParameterizedTest
    @CsvSource({"T4,16", "L4,24", "A10G,24", "L40S,48", "A100-40GB,40", "A100-80GB,80", "H100,80", "H200,141", "B200,192"})
    void nominalMemory(String name, int gib) {
        assertEquals(OptionalInt.of(gib), GpuSpec.parse(name).first().memoryGiB());
        assertEquals(Integer.toString(gib), GpuType.fromSpecName(name).orElseThrow().memoryText());
    }

    @Test
    void memoryUnknownForAnyAndPlainA100() {
        assertEquals(OptionalInt.empty(), GpuSpec.parse("any").first().memoryGiB());
        assertEquals(OptionalInt.empty(), GpuSpec.parse("A100").first().memoryGiB());
        assertEquals("40 or 80", GpuType.A100.memoryText());
        assertEquals("", GpuType.ANY.memoryText());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
    void countsOneToEight(int n) {
        GpuSpec spec = GpuSpec.parse("H100:" + n);
        assertEquals(n, spec.first().count());
        assertEquals(n == 1 ? "H100" : "H100:" + n, spec.toString());
        assertEquals(spec, GpuSpec.parse(spec.toString()));
        assertEquals(n, GpuSpec.parse("any:" + n).first().count());
    }

    @Test
    void fallbacksKeepTheirOrder() {
        GpuSpec spec = GpuSpec.parse("H100,A100-80GB:2");
        assertEquals(List.of(new GpuSpec.Choice(GpuType.H100, 1), new GpuSpec.Choice(GpuType.A100_80GB, 2)), spec.choices());
        assertEquals("H100,A100-80GB:2", spec.toString());
        assertEquals("H100 or 2 x A100-80GB", spec.describe());

        GpuSpec three = GpuSpec.parse(" h200:4 , h100 : 8,any ");
        assertEquals("H200:4,H100:8,any", three.toString());
        assertEquals(three, GpuSpec.parse(three.toString()));
        assertEquals(three.hashCode(), GpuSpec.parse(three.toString()).hashCode());
        // same type with another count is a real fallback
        assertEquals("H100:2,H100", GpuSpec.parse("H100:2,H100").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"any", "T4", "L4:2", "A10G:4", "L40S:8", "A100", "A100-40GB:3", "A100-80GB:2",
            "H100", "H200:8", "B200:2", "H100,A100-80GB:2", "B200:8,H200:8,H100:8,any"})
    void toStringRoundTrips(String text) {
        GpuSpec spec = GpuSpec.parse(text);
        assertEquals(text, spec.toString());
        assertEquals(spec, GpuSpec.parse(spec.toString()));
    }

    @Test
    void programmaticConstruction() {
        assertEquals(GpuSpec.parse("H100:2"), GpuSpec.of(GpuType.H100, 2));
        assertEquals(GpuSpec.parse("H100,any"),
                GpuSpec.of(new GpuSpec.Choice(GpuType.H100, 1), new GpuSpec.Choice(GpuType.ANY, 1)));
        assertThrows(IllegalArgumentException.class, () -> new GpuSpec.Choice(GpuType.H100, 0));
        assertThrows(IllegalArgumentException.class, () -> new GpuSpec.Choice(GpuType.H100, 9));
    }

    /** Each malformed spec, and fragments its message must contain ('|' separates them). */
    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = ';', quoteCharacter = '"', value = {
            "\"\";empty GPU spec|Valid: any, T4",
            "\"   \";empty GPU spec",
            "H10;unknown GPU type 'H10'|did you mean 'H100'?|Valid: any, T4, L4, A10G, L40S, A100, A100-40GB, A100-80GB, H100, H200, B200",
            "A100-80;unknown GPU type 'A100-80'|did you mean 'A100-80GB'?",
            "A100_80GB;did you mean 'A100-80GB'?",
            "h1000;did you mean 'H100'?",
            "T5;did you mean 'T4'?",
            "L40;did you mean 'L4",
            "NVIDIA H100 80GB HBM3;unknown GPU type 'NVIDIA H100 80GB HBM3'|did you mean 'H100'?",
            "RTX4090;unknown GPU type 'RTX4090'|Valid: any",
            "V100;unknown GPU type 'V100'|Valid:",
            "gpu;unknown GPU type 'gpu'|Valid:",
            "H100:0;GPU count 0|out of range|from 1 to 8",
            "H100:9;GPU count 9|out of range|from 1 to 8",
            "H100:x;GPU count 'x'|not a number|from 1 to 8",
            "H100:-1;GPU count '-1'|not a number|from 1 to 8",
            "H100:1.5;GPU count '1.5'|not a number",
            "H100:99999999999;out of range|from 1 to 8",
            "H100:;missing GPU count after ':'|e.g. 'H100:2'",
            "H100:2:3;GPU count '2:3'|not a number",
            ":2;missing GPU type before ':'|Valid:",
            "H100,;empty choice at position 2",
            ",H100;empty choice at position 1",
            "H100,,A100;empty choice at position 2",
            "H100, ;empty choice at position 2",
            "H100,H100;lists 'H100' twice",
            "A100-80GB:2,a100-80gb:2;lists 'A100-80GB:2' twice",
            "\"H100;A100\";unknown GPU type 'H100;A100'",
            "H 100;unknown GPU type 'H 100'",
            "H100 2;unknown GPU type 'H100 2'",
    })
    void malformedSpecsAreClearErrors(String spec, String fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuSpec.parse(spec));
        for (String f : fragments.split("\\|")) {
            assertTrue(e.getMessage().contains(f), "message for '" + spec + "' lacks '" + f + "': " + e.getMessage());
        }
    }

    @Test
    void nullIsAnError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuSpec.parse(null));
        assertTrue(e.getMessage().startsWith("empty GPU spec"), e.getMessage());
    }

    @Test
    void unknownNameMessageExactly() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GpuSpec.parse("H10"));
        assertEquals("unknown GPU type 'H10'; did you mean 'H100'? "
                + "Valid: any, T4, L4, A10G, L40S, A100, A100-40GB, A100-80GB, H100, H200, B200", e.getMessage());
    }

    @Test
    void noSuggestionForFarNames() {
        assertFalse(GpuSpec.closestName("quantum").isPresent());
        assertFalse(GpuSpec.parse("any").toString().isEmpty());
    }
}

package dev.ferry.server.web;

import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonValuesTest {
    static Object from(String json, String type) {
        return JsonValues.fromJson(JsonParser.parseString(json), type, "field 'v'");
    }

    static String refused(String json, String type) {
        return assertThrows(JsonValues.BadRequest.class, () -> from(json, type)).getMessage();
    }

    @Test
    void numbersConvertToTheDeclaredType() {
        assertEquals(7, from("7", "int"));
        assertEquals(7L, from("7", "long"));
        assertEquals(7L, from("7.0", "Long"));
        assertEquals(2.5, from("2.5", "double"));
        assertEquals(2.5f, from("2.5", "float"));
        assertEquals((short) 3, from("3", "short"));
    }

    @Test
    void wrongTypesNameTheFieldAndTheType() {
        assertEquals("field 'v' is a string \"7\": it needs an int (a JSON whole number)", refused("\"7\"", "int"));
        assertEquals("field 'v' is 1.5: it needs an int (a JSON whole number) (a whole number)", refused("1.5", "int"));
        assertTrue(refused("3000000000", "int").contains("out of range"));
        assertEquals("field 'v' is null: it needs a boolean (true or false)", refused("null", "boolean"));
        assertEquals("field 'v' is a number 1: it needs a String (a JSON string)", refused("1", "String"));
        assertTrue(refused("{}", "Point").contains("cannot be read from JSON"));
    }

    @Test
    void collectionsConvertTheirElements() {
        assertEquals(List.of(1, 2), from("[1, 2]", "java.util.List<Integer>"));
        assertEquals("field 'v'[1] is a string \"b\": it needs an Integer (a JSON whole number)", refused("[1, \"b\"]", "List<Integer>"));
        assertEquals(Map.of("a", List.of(1L)), from("{\"a\": [1]}", "Map<String, List<Long>>"));
        assertEquals(Map.of("a", 1, "b", "x", "c", 2.5), from("{\"a\": 1, \"b\": \"x\", \"c\": 2.5}", "Map<String, Object>"));
        assertTrue(refused("{}", "Map<Integer, String>").contains("keys are strings"));
    }

    @Test
    void textParametersParse() {
        assertEquals(5, JsonValues.fromText("5", "int", "p"));
        assertEquals(true, JsonValues.fromText("true", "boolean", "p"));
        assertEquals("x y", JsonValues.fromText("x y", "String", "p"));
        assertEquals("p is \"five\": it needs an int (a JSON whole number)",
                assertThrows(JsonValues.BadRequest.class, () -> JsonValues.fromText("five", "int", "p")).getMessage());
    }

    @Test
    void valuesBecomeJson() {
        assertEquals("{\"a\":[1,2.5,\"x\",null,true]}", JsonValues.toJson(Map.of("a", java.util.Arrays.asList(1, 2.5, "x", null, true))).toString());
        record P(int x, String y) {}
        assertEquals("{\"x\":1,\"y\":\"b\"}", JsonValues.toJson(new P(1, "b")).toString());
        assertEquals("\"AQI=\"", JsonValues.toJson(new byte[] {1, 2}).toString());
    }
}

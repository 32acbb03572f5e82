package dev.ferry.remote.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.Map;

/**
 * An execute_request's {@code user_expressions}, evaluated in the session after the cell, as ipykernel
 * does: {name: {status ok, data (the value's MIME bundle), metadata}} or {name: {status error, ename,
 * evalue, traceback}}. Evaluating them leaves the session's variables as they were.
 */
final class UserExpressions {
    private UserExpressions() {}

    static JsonObject evaluate(JShellHost host, JsonObject expressions) {
        JsonObject values = new JsonObject();
        if (expressions == null) {
            return values;
        }
        for (Map.Entry<String, JsonElement> e : expressions.entrySet()) {
            JsonElement code = e.getValue();
            values.add(e.getKey(), code.isJsonPrimitive() ? one(host, code.getAsString())
                    : ErrorReport.simple("TypeError", "user expression '" + e.getKey() + "' is not a string"));
        }
        return values;
    }

    private static JsonObject one(JShellHost host, String expression) {
        JShellHost.JavaOutcome o;
        try {
            o = host.evaluate(expression);
        } catch (RuntimeException e) {
            return ErrorReport.simple(e.getClass().getName(), String.valueOf(e.getMessage()));
        }
        if (!o.ok()) {
            return o.error();
        }
        if (!o.hasValue()) {
            return ErrorReport.simple("NoValue", "'" + expression.strip() + "' has no value (a void call or a statement);"
                    + " user expressions must be expressions");
        }
        JsonObject ok = new JsonObject();
        ok.addProperty("status", "ok");
        ok.add("data", Renderer.bundle(o.valueOrText()));
        ok.add("metadata", new JsonObject());
        return ok;
    }
}

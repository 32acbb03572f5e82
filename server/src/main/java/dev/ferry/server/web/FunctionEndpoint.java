package dev.ferry.server.web;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonSyntaxException;
import dev.ferry.WebResponse;
import dev.ferry.proto.v1.CallResult;
import dev.ferry.proto.v1.CallState;
import dev.ferry.server.functions.FunctionService;
import dev.ferry.storage.Codec;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;

import static dev.ferry.server.web.WebGateway.error;
import static dev.ferry.server.web.WebGateway.json;

/** A function endpoint's request: its arguments from the path, the JSON body and the query; its answer. */
final class FunctionEndpoint {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");

    private FunctionEndpoint() {}

    /**
     * The query parameter of a request that waits for a call accepted earlier: a request still waiting after
     * 150 s is answered 303 to its own URL with this parameter (Modal does the
     * same), and a client that follows redirects keeps waiting for the same call.
     */
    static final String CALL_PARAM = "__ferry_call_id";

    static void call(Context ctx, Route r, Map<String, String> pathParams, FunctionService functions, String app) {
        String waitFor = ctx.queryParam(CALL_PARAM);
        if (waitFor != null) {
            if (!r.function.getFunction().getName().equals(functions.functionOf(waitFor))) {
                error(ctx, 404, "no call " + waitFor + " of " + r.function.getFunction().getName() + " to wait for: an unknown id,"
                        + " or its result expired");
                return;
            }
            wait(ctx, functions, waitFor, ctx.req().getMethod() + " " + ctx.req().getRequestURI());
            return;
        }
        List<byte[]> args;
        try {
            args = arguments(ctx, r, pathParams);
        } catch (JsonValues.BadRequest e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        String id;
        try {
            id = functions.submit(r.function.getFunction(),
                    args.stream().map(com.google.protobuf.ByteString::copyFrom).toList(), app);
        } catch (IllegalArgumentException e) {
            error(ctx, 400, e.getMessage());
            return;
        }
        wait(ctx, functions, id, ctx.req().getMethod() + " " + ctx.req().getRequestURI());
    }

    private static void wait(Context ctx, FunctionService functions, String id, String what) {
        ctx.future(() -> functions.await(id, WebGateway.requestTimeoutMs).thenAccept(res -> answer(ctx, res, what)));
    }

    private static List<byte[]> arguments(Context ctx, Route r, Map<String, String> pathParams) {
        String fn = r.function.getFunction().getName() + r.signature.describeParameters();
        JsonObject body = null;
        byte[] raw = ctx.bodyAsBytes();
        if (raw.length > 0 && !new String(raw, StandardCharsets.UTF_8).isBlank()) {
            try {
                JsonElement e = JsonParser.parseString(new String(raw, StandardCharsets.UTF_8));
                if (!e.isJsonObject()) {
                    throw new JsonValues.BadRequest("the body must be a JSON object whose fields are " + fn
                            + "'s parameters; it is " + (e.isJsonArray() ? "an array" : "a " + e));
                }
                body = e.getAsJsonObject();
            } catch (JsonSyntaxException | com.google.gson.JsonIOException e) {
                throw new JsonValues.BadRequest("the body is not valid JSON (" + e.getCause().getMessage() + "): send a JSON object"
                        + " whose fields are " + fn + "'s parameters");
            }
        }
        List<String> names = r.signature.parameterNames();
        List<String> types = r.signature.parameterTypes();
        Map<String, List<String>> query = ctx.queryParamMap();
        List<Integer> fromBody = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (!pathParams.containsKey(names.get(i)) && !query.containsKey(names.get(i))) {
                fromBody.add(i);
            }
        }
        // one Map parameter left and no body field of its name: the whole body is that argument
        int whole = fromBody.size() == 1 && JsonValues.erase(types.get(fromBody.get(0))).endsWith("Map")
                && (body == null || !body.has(names.get(fromBody.get(0)))) ? fromBody.get(0) : -1;
        if (body != null && whole < 0) {
            for (String field : body.keySet()) {
                if (!names.contains(field)) {
                    throw new JsonValues.BadRequest("unknown field '" + field + "': " + fn + " takes "
                            + (names.isEmpty() ? "no arguments" : String.join(", ", names)));
                }
            }
        }
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            String t = types.get(i);
            Object v;
            if (pathParams.containsKey(n)) {
                v = JsonValues.fromText(pathParams.get(n), t, "path parameter '" + n + "'");
            } else if (i == whole) {
                v = JsonValues.fromJson(body == null ? new JsonObject() : body, t, "the body");
            } else if (body != null && body.has(n)) {
                v = JsonValues.fromJson(body.get(n), t, "field '" + n + "'");
            } else if (query.containsKey(n)) {
                v = JsonValues.fromText(query.get(n).get(0), t, "query parameter '" + n + "'");
            } else {
                throw new JsonValues.BadRequest("missing field '" + n + "': " + fn + " needs it as " + JsonValues.describe(t));
            }
            try {
                out.add(Codec.encode(v));
            } catch (IllegalArgumentException e) {
                throw new JsonValues.BadRequest("'" + n + "' cannot be sent to the function: " + e.getMessage());
            }
        }
        return out;
    }

    private static void answer(Context ctx, CallResult res, String what) {
        String id = res.getCallId();
        ctx.header("Ferry-Call-Id", id);
        if (res.getState() == CallState.CALL_STATE_SUCCEEDED) {
            Object v;
            try {
                v = Codec.decode(res.getValue().toByteArray(), WebGateway.class.getClassLoader());
            } catch (IllegalArgumentException e) {
                error(ctx, 500, "the function's value could not be read: " + e.getMessage() + " (call " + id + ")");
                return;
            }
            if (v instanceof WebResponse w) {
                w.headers().forEach(ctx::header);
                ctx.status(w.status());
                boolean text = w.body() instanceof String && w.headers().keySet().stream().anyMatch(h -> h.equalsIgnoreCase("Content-Type"));
                if (text) {
                    ctx.result((String) w.body());
                } else if (w.body() != null) {
                    ctx.contentType("application/json");
                    ctx.result(JsonValues.toJson(w.body()).toString());
                }
                return;
            }
            json(ctx, 200, JsonValues.toJson(v));
            return;
        }
        if (res.getState() == CallState.CALL_STATE_PENDING || res.getState() == CallState.CALL_STATE_RUNNING) {
            ctx.header("Location", ctx.req().getRequestURI() + "?" + CALL_PARAM + "=" + id);
            JsonObject o = new JsonObject();
            o.addProperty("error", "the call is still running after " + WebGateway.requestTimeoutMs / 1000 + " s: follow the redirect to"
                    + " wait on, or fetch its result later with ferry call get " + id);
            o.addProperty("call_id", id);
            json(ctx, 303, o);
            return;
        }
        JsonObject o = new JsonObject();
        String type = res.getError().getType();
        o.addProperty("error", type + ": " + res.getError().getMessage());
        o.addProperty("type", type);
        o.addProperty("message", res.getError().getMessage());
        o.addProperty("call_id", id);
        int status = res.getState() == CallState.CALL_STATE_TIMED_OUT ? 504 : 500;
        LOG.info("web: " + what + " answered " + status + ": call " + id + " " + res.getState() + " (" + type + ": "
                + res.getError().getMessage() + ")");
        json(ctx, status, o);
    }
}

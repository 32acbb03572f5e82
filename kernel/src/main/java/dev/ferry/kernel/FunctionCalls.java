package dev.ferry.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ByteString;
import dev.ferry.FerryException;
import dev.ferry.InvalidArgumentException;
import dev.ferry.NotFoundException;
import dev.ferry.client.FerryClient;
import dev.ferry.client.ServerLauncher;
import dev.ferry.proto.v1.CallRef;
import dev.ferry.proto.v1.CallResult;
import dev.ferry.proto.v1.FunctionOptions;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.GetRequest;
import dev.ferry.proto.v1.LogChunk;
import dev.ferry.proto.v1.LogsReply;
import dev.ferry.proto.v1.LogsRequest;
import dev.ferry.proto.v1.RetryPolicy;
import dev.ferry.proto.v1.WaitReply;
import dev.ferry.proto.v1.WaitRequest;
import dev.ferry.proto.v1.WarmReply;
import dev.ferry.proto.v1.SpawnReply;
import dev.ferry.proto.v1.SpawnRequest;
import dev.ferry.remote.Worker;
import dev.ferry.server.ServerPaths;
import io.grpc.StatusRuntimeException;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Answers the worker's {@code function.*} calls ({@code dev.ferry.remote.worker.WorkerFunctions}) with the
 * Ferry server: {@code function.spawn}, {@code function.get}, {@code function.cancel}. The connection is made
 * at the first call ({@link FerryClient#connectOrStart}: the data directory's server, started in the background
 * when none answers), so a kernel starts even where no server can; its function calls then fail with why.
 * A server the kernel started outlives it, as calls do (stop it with {@code ferry server stop}).
 */
final class FunctionCalls {
    private final ServerPaths paths;
    private final Map<String, String> env;
    private final String workerClassPath;
    private FerryClient client;

    /** {@code workerClassPath}: the class path of the call workers of a server this kernel starts (null: the server's). */
    FunctionCalls(Path dataDir, Map<String, String> env, String workerClassPath) {
        this.paths = new ServerPaths(dataDir);
        this.env = env;
        this.workerClassPath = workerClassPath;
    }

    JsonElement call(String target, JsonObject args, byte[] body, Worker.CallContext ctx) throws IOException {
        try {
            return switch (target) {
                case "function.spawn" -> spawn(args.getAsJsonObject("spec"), body, args.has("app") ? args.get("app").getAsString() : "");
                case "function.get" -> state(client().<CallResult>unary("Functions/Get", GetRequest.newBuilder()
                        .setCallId(args.get("id").getAsString()).setTimeoutMs(args.get("timeoutMs").getAsLong()).build(),
                        Duration.ofMillis(args.get("timeoutMs").getAsLong() + 30_000)), ctx);
                case "function.cancel" -> state(client().<CallResult>unary("Functions/Cancel",
                        CallRef.newBuilder().setCallId(args.get("id").getAsString()).build(), Duration.ofSeconds(30)), ctx);
                case "function.wait" -> waitAny(args, ctx);
                case "function.logs" -> logs(args);
                case "function.warm" -> new JsonPrimitive(client().<WarmReply>unary("Functions/Warm", spec(args.getAsJsonObject("spec")),
                        Duration.ofSeconds(90)).getWorkers());
                // function.lookup, app.deploy, app.stop (%deploy, %serve, Function.fromName): an ephemeral app ends with this kernel
                default -> new dev.ferry.client.FrameCalls(this::client, ProcessHandle.current().pid()).call(target, args, body, ctx);
            };
        } catch (StatusRuntimeException e) {
            throw translate(e);
        }
    }

    private JsonElement spawn(JsonObject s, byte[] body, String app) throws IOException {
        FunctionSpec spec = spec(s);
        SpawnRequest.Builder req = SpawnRequest.newBuilder().setFunction(spec).setApp(app); // app: a Function.fromName handle's
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        while (in.available() > 0) {
            byte[] arg = new byte[in.readInt()];
            in.readFully(arg);
            req.addArgs(ByteString.copyFrom(arg));
        }
        SpawnReply r = client().unary("Functions/Spawn", req.build(), Duration.ofSeconds(30));
        return new JsonPrimitive(r.getCallId());
    }

    /** The worker's JSON spec ({@code WorkerFunctions.toJson}) as the proto's. */
    /** The proto spec of a spec's JSON: one conversion for spawns here and for deploys ({@code FrameCalls}). */
    static FunctionSpec spec(JsonObject s) {
        return dev.ferry.client.FrameCalls.spec(s);
    }

    /** {finished: [state...]}; the values of those that succeeded go back in the reply body, each length-prefixed. */
    private JsonElement waitAny(JsonObject args, Worker.CallContext ctx) throws IOException {
        WaitRequest.Builder req = WaitRequest.newBuilder().setTimeoutMs(args.get("timeoutMs").getAsLong());
        args.getAsJsonArray("ids").forEach(i -> req.addCallIds(i.getAsString()));
        WaitReply r = client().unary("Functions/Wait", req.build(), Duration.ofMillis(req.getTimeoutMs() + 30_000));
        JsonArray finished = new JsonArray();
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        for (CallResult c : r.getFinishedList()) {
            JsonObject o = fields(c);
            o.addProperty("id", c.getCallId());
            finished.add(o);
            byte[] v = c.getValue().toByteArray();
            out.writeInt(v.length);
            out.write(v);
        }
        JsonObject o = new JsonObject();
        o.add("finished", finished);
        ctx.replyBody(bytes.toByteArray());
        return o;
    }

    /** {chunks: [{stream, text}], next, finished}. */
    private JsonElement logs(JsonObject args) {
        LogsReply r = client().unary("Functions/Logs", LogsRequest.newBuilder().setCallId(args.get("id").getAsString())
                .setFrom(args.get("from").getAsInt()).build(), Duration.ofSeconds(30));
        JsonArray chunks = new JsonArray();
        for (LogChunk c : r.getChunksList()) {
            JsonObject o = new JsonObject();
            o.addProperty("stream", c.getStream());
            o.addProperty("text", c.getText());
            chunks.add(o);
        }
        JsonObject o = new JsonObject();
        o.add("chunks", chunks);
        o.addProperty("next", r.getNext());
        o.addProperty("finished", r.getFinished());
        return o;
    }

    /** {state, attempts, error?: {type, message, stack}}; the value goes back as the reply body. */
    private static JsonElement state(CallResult r, Worker.CallContext ctx) {
        ctx.replyBody(r.getValue().toByteArray());
        return fields(r);
    }

    private static JsonObject fields(CallResult r) {
        JsonObject o = new JsonObject();
        o.addProperty("state", r.getState().name().substring("CALL_STATE_".length()));
        o.addProperty("attempts", r.getAttempts());
        if (r.hasError()) {
            JsonObject e = new JsonObject();
            e.addProperty("type", r.getError().getType());
            e.addProperty("message", r.getError().getMessage());
            JsonArray stack = new JsonArray();
            r.getError().getStackTraceList().forEach(stack::add);
            e.add("stack", stack);
            o.add("error", e);
        }
        o.addProperty("logChunks", r.getLogChunks());
        return o;
    }

    private synchronized FerryClient client() {
        if (client == null) {
            try {
                ServerLauncher launcher = ServerLauncher.ofThisJvm();
                if (workerClassPath != null && !env.containsKey("FERRY_WORKER_CLASSPATH")) {
                    launcher = launcher.withEnv("FERRY_WORKER_CLASSPATH", workerClassPath);
                }
                client = FerryClient.connectOrStart(paths, env, launcher);
            } catch (IOException | RuntimeException e) {
                throw new FerryException(FerryException.Code.UNAVAILABLE, "function calls need a Ferry server, and none"
                        + " could be reached or started for " + paths.dataDir() + ": " + e.getMessage()
                        + " (start one with `ferry server start`, see docs/server.md)");
            }
        }
        return client;
    }

    /** A server status as the error family's exception, its description as the message. */
    private static RuntimeException translate(StatusRuntimeException e) {
        String d = e.getStatus().getDescription() == null ? e.getStatus().getCode().name() : e.getStatus().getDescription();
        return switch (e.getStatus().getCode()) {
            case INVALID_ARGUMENT -> new InvalidArgumentException(d);
            case NOT_FOUND -> new NotFoundException(d);
            case UNAVAILABLE -> new FerryException(FerryException.Code.UNAVAILABLE, "the Ferry server is not answering ("
                    + d + "): check `ferry server status`");
            default -> new FerryException(FerryException.Code.INTERNAL, "the Ferry server answered " + e.getStatus().getCode()
                    + ": " + d);
        };
    }
}

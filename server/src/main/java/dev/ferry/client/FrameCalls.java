package dev.ferry.client;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import com.google.protobuf.ByteString;
import dev.ferry.proto.v1.AppFunction;
import dev.ferry.proto.v1.AppFunctionInfo;
import dev.ferry.proto.v1.AppInfo;
import dev.ferry.proto.v1.AppRef;
import dev.ferry.proto.v1.AppSpec;
import dev.ferry.proto.v1.AppWebInfo;
import dev.ferry.proto.v1.CallRef;
import dev.ferry.proto.v1.CallResult;
import dev.ferry.proto.v1.DeployRequest;
import dev.ferry.proto.v1.FunctionOptions;
import dev.ferry.proto.v1.FunctionRef;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.GetRequest;
import dev.ferry.proto.v1.SpawnReply;
import dev.ferry.proto.v1.SpawnRequest;
import dev.ferry.proto.v1.WebEndpoint;
import dev.ferry.remote.Worker;
import dev.ferry.server.apps.ScheduleText;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Answers a worker's {@code function.*} and {@code app.*} call frames with a Ferry server: for the CLI's file
 * worker ({@code ferry deploy/serve/run}), for a call worker of the server itself (a function that calls another
 * one), and for the kernel's targets beyond spawn/get/cancel. Targets: {@code function.spawn} {spec, app?} with
 * the length-prefixed encoded arguments as the body → the call id; {@code function.get} {id, timeoutMs},
 * {@code function.cancel} {id} → {state, attempts, error?} with the value as the reply body;
 * {@code function.lookup} {app, function} → the spec (the JSON of {@code WorkerFunctions.toJson});
 * {@code app.deploy} {name, ephemeral, source, replace, functions: [{spec, schedule, web}]} and
 * {@code app.stop} {name} → the app as the server has it (see {@link #info}).
 */
public final class FrameCalls {
    private static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "DELETE", "PATCH");
    private final Supplier<FerryClient> client;
    /** The pid an ephemeral app ends with: the process that answers the frames (the kernel, the CLI). */
    private final long ownerPid;

    public FrameCalls(Supplier<FerryClient> client, long ownerPid) {
        this.client = client;
        this.ownerPid = ownerPid;
    }

    /** Whether this class answers {@code target}. */
    public static boolean handles(String target) {
        return target.startsWith("function.") || target.startsWith("app.");
    }

    public JsonElement call(String target, JsonObject args, byte[] body, Worker.CallContext ctx) throws IOException {
        try {
            return answer(target, args, body, ctx);
        } catch (io.grpc.StatusRuntimeException e) {
            throw translate(e);
        }
    }

    /** A server status as the error family's exception, its description as the message. */
    public static RuntimeException translate(io.grpc.StatusRuntimeException e) {
        String d = e.getStatus().getDescription() == null ? e.getStatus().getCode().name() : e.getStatus().getDescription();
        return switch (e.getStatus().getCode()) {
            case INVALID_ARGUMENT -> new dev.ferry.InvalidArgumentException(d);
            case NOT_FOUND -> new dev.ferry.NotFoundException(d);
            case FAILED_PRECONDITION -> new dev.ferry.FerryException(dev.ferry.FerryException.Code.FAILED_PRECONDITION, d);
            case UNAVAILABLE -> new dev.ferry.FerryException(dev.ferry.FerryException.Code.UNAVAILABLE,
                    "the Ferry server is not answering (" + d + "): check `ferry server status`");
            default -> new dev.ferry.FerryException(dev.ferry.FerryException.Code.INTERNAL, "the Ferry server answered "
                    + e.getStatus().getCode() + ": " + d);
        };
    }

    private JsonElement answer(String target, JsonObject args, byte[] body, Worker.CallContext ctx) throws IOException {
        return switch (target) {
            case "function.spawn" -> spawn(args, body);
            case "function.get" -> state(client.get().unary("Functions/Get", GetRequest.newBuilder()
                    .setCallId(args.get("id").getAsString()).setTimeoutMs(args.get("timeoutMs").getAsLong()).build(),
                    Duration.ofMillis(args.get("timeoutMs").getAsLong() + 30_000)), ctx);
            case "function.cancel" -> state(client.get().unary("Functions/Cancel",
                    CallRef.newBuilder().setCallId(args.get("id").getAsString()).build(), Duration.ofSeconds(30)), ctx);
            case "function.lookup" -> toJson(client.get().<FunctionSpec>unary("Apps/Lookup", FunctionRef.newBuilder()
                    .setApp(args.get("app").getAsString()).setFunction(args.get("function").getAsString()).build(),
                    Duration.ofSeconds(30)));
            case "app.deploy" -> info(client.get().unary("Apps/Deploy", deployRequest(args), Duration.ofSeconds(60)));
            case "app.stop" -> info(client.get().unary("Apps/Stop", AppRef.newBuilder().setName(args.get("name").getAsString())
                    .build(), Duration.ofSeconds(30)));
            default -> throw new IllegalArgumentException("unknown call target '" + target + "'");
        };
    }

    private JsonElement spawn(JsonObject args, byte[] body) throws IOException {
        SpawnRequest.Builder req = SpawnRequest.newBuilder().setFunction(spec(args.getAsJsonObject("spec")));
        if (args.has("app") && !args.get("app").isJsonNull()) {
            req.setApp(args.get("app").getAsString());
        }
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
        while (in.available() > 0) {
            byte[] arg = new byte[in.readInt()];
            in.readFully(arg);
            req.addArgs(ByteString.copyFrom(arg));
        }
        SpawnReply r = client.get().unary("Functions/Spawn", req.build(), Duration.ofSeconds(30));
        return new JsonPrimitive(r.getCallId());
    }

    /** The Deploy request of an {@code app.deploy} frame. */
    DeployRequest deployRequest(JsonObject a) {
        AppSpec.Builder app = AppSpec.newBuilder().setName(a.get("name").getAsString())
                .setSource(a.has("source") ? a.get("source").getAsString() : "");
        for (JsonElement e : a.getAsJsonArray("functions")) {
            JsonObject f = e.getAsJsonObject();
            AppFunction.Builder af = AppFunction.newBuilder().setFunction(spec(f.getAsJsonObject("spec")));
            String name = af.getFunction().getName();
            String schedule = f.has("schedule") ? f.get("schedule").getAsString() : "";
            if (!schedule.isBlank()) {
                try {
                    af.setSchedule(ScheduleText.parse(schedule));
                } catch (IllegalArgumentException ex) {
                    throw new IllegalArgumentException(name + ": " + ex.getMessage());
                }
            }
            String web = f.has("web") ? f.get("web").getAsString() : "";
            if (!web.isBlank()) {
                af.setWeb(web(name, web));
            }
            app.addFunctions(af);
        }
        if (a.has("webApps")) {
            for (JsonElement e : a.getAsJsonArray("webApps")) {
                JsonObject w = e.getAsJsonObject();
                dev.ferry.proto.v1.WebApp.Builder wb = dev.ferry.proto.v1.WebApp.newBuilder().setName(w.get("name").getAsString())
                        .setSource(w.get("source").getAsString())
                        .setRequiresAuth(w.has("requiresAuth") && w.get("requiresAuth").getAsBoolean());
                w.getAsJsonArray("declarations").forEach(d -> wb.addDeclarations(d.getAsString()));
                w.getAsJsonArray("maven").forEach(m -> wb.addMaven(m.getAsString()));
                app.addWebApps(wb);
            }
        }
        boolean ephemeral = a.has("ephemeral") && a.get("ephemeral").getAsBoolean();
        return DeployRequest.newBuilder().setApp(app).setEphemeral(ephemeral).setOwnerPid(ephemeral ? ownerPid : 0)
                .setReplace(a.has("replace") && a.get("replace").getAsBoolean()).build();
    }

    /** {@code web="POST /square"} (and an optional {@code auth}) as a WebEndpoint. */
    public static WebEndpoint web(String function, String text) {
        String[] w = text.strip().split("\\s+");
        String method = w[0].toUpperCase(Locale.ROOT);
        if (w.length < 2 || w.length > 3 || !METHODS.contains(method) || !w[1].startsWith("/")
                || (w.length == 3 && !w[2].equalsIgnoreCase("auth"))) {
            throw new IllegalArgumentException(function + ": web=\"" + text + "\" is not an endpoint: write the HTTP method"
                    + " and the path, e.g. web=\"POST /square\" or web=\"GET /items/{id}\", and 'auth' after them to"
                    + " require the app's token");
        }
        return WebEndpoint.newBuilder().setMethod(method).setPath(w[1]).setRequiresAuth(w.length == 3).build();
    }

    /** The proto spec of a spec's JSON ({@code WorkerFunctions.toJson}). */
    public static FunctionSpec spec(JsonObject s) {
        FunctionOptions.Builder opts = FunctionOptions.newBuilder()
                .setEngine(s.has("engine") ? s.get("engine").getAsString() : "")
                .setTimeoutS(s.has("timeoutS") ? s.get("timeoutS").getAsInt() : 0)
                .setRetries(s.has("retries") ? s.get("retries").getAsInt() : 0);
        if (s.has("env")) {
            s.getAsJsonObject("env").entrySet().forEach(e -> opts.putEnv(e.getKey(), e.getValue().getAsString()));
        }
        if (s.has("scaling")) {
            JsonObject sc = s.getAsJsonObject("scaling");
            opts.setMinContainers(sc.get("min").getAsInt()).setMaxContainers(sc.get("max").getAsInt())
                    .setBufferContainers(sc.get("buffer").getAsInt()).setScaledownWindowS(sc.get("scaledownS").getAsInt())
                    .setMaxInputs(sc.get("maxInputs").getAsInt());
        }
        if (s.has("backoff")) {
            JsonObject b = s.getAsJsonObject("backoff");
            opts.setRetryPolicy(dev.ferry.proto.v1.RetryPolicy.newBuilder().setBackoffCoefficient(b.get("coefficient").getAsDouble())
                    .setInitialDelayMs(Math.round(1000 * b.get("initialDelayS").getAsDouble()))
                    .setMaxDelayMs(Math.round(1000 * b.get("maxDelayS").getAsDouble())));
        }
        FunctionSpec.Builder spec = FunctionSpec.newBuilder()
                .setName(s.get("name").getAsString())
                .setMethodSource(s.get("methodSource").getAsString())
                .setOptions(opts);
        s.getAsJsonArray("declarations").forEach(d -> spec.addDeclarations(d.getAsString()));
        if (s.has("parameterTypes")) {
            s.getAsJsonArray("parameterTypes").forEach(t -> spec.addParameterTypes(t.getAsString()));
        }
        return spec.build();
    }

    /** The JSON of a proto spec, as the worker reads it. */
    public static JsonObject toJson(FunctionSpec spec) {
        JsonObject o = new JsonObject();
        o.addProperty("name", spec.getName());
        o.addProperty("methodSource", spec.getMethodSource());
        JsonArray decls = new JsonArray();
        spec.getDeclarationsList().forEach(decls::add);
        o.add("declarations", decls);
        JsonArray types = new JsonArray();
        spec.getParameterTypesList().forEach(types::add);
        o.add("parameterTypes", types);
        o.addProperty("timeoutS", spec.getOptions().getTimeoutS());
        o.addProperty("retries", spec.getOptions().getRetries());
        o.addProperty("engine", spec.getOptions().getEngine());
        JsonObject env = new JsonObject();
        spec.getOptions().getEnvMap().forEach(env::addProperty);
        o.add("env", env);
        FunctionOptions opts = spec.getOptions();
        JsonObject scaling = new JsonObject();
        scaling.addProperty("min", opts.getMinContainers());
        scaling.addProperty("max", opts.getMaxContainers());
        scaling.addProperty("buffer", opts.getBufferContainers());
        scaling.addProperty("scaledownS", opts.getScaledownWindowS());
        scaling.addProperty("maxInputs", opts.getMaxInputs());
        o.add("scaling", scaling);
        if (opts.hasRetryPolicy()) {
            JsonObject b = new JsonObject();
            b.addProperty("coefficient", opts.getRetryPolicy().getBackoffCoefficient());
            b.addProperty("initialDelayS", opts.getRetryPolicy().getInitialDelayMs() / 1000.0);
            b.addProperty("maxDelayS", opts.getRetryPolicy().getMaxDelayMs() / 1000.0);
            o.add("backoff", b);
        }
        return o;
    }

    /** {name, appId, state, version, source, functions: [{name, schedule, nextRunMs, url}], webApps: [{name, url}]}. */
    public static JsonObject info(AppInfo i) {
        JsonObject o = new JsonObject();
        o.addProperty("name", i.getName());
        o.addProperty("appId", i.getAppId());
        o.addProperty("state", i.getState().name().substring("APP_STATE_".length()).toLowerCase(Locale.ROOT));
        o.addProperty("version", i.getVersion());
        o.addProperty("source", i.getSource());
        JsonArray fs = new JsonArray();
        for (AppFunctionInfo f : i.getFunctionsList()) {
            JsonObject fo = new JsonObject();
            fo.addProperty("name", f.getName());
            fo.addProperty("schedule", f.getSchedule());
            fo.addProperty("nextRunMs", f.getNextRunMs());
            fo.addProperty("url", f.getUrl());
            fs.add(fo);
        }
        o.add("functions", fs);
        JsonArray ws = new JsonArray();
        for (AppWebInfo w : i.getWebAppsList()) {
            JsonObject wo = new JsonObject();
            wo.addProperty("name", w.getName());
            wo.addProperty("url", w.getUrl());
            ws.add(wo);
        }
        o.add("webApps", ws);
        return o;
    }

    /** {state, attempts, error?: {type, message, stack}}; the value goes back as the reply body. */
    static JsonElement state(CallResult r, Worker.CallContext ctx) {
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
        if (ctx != null) {
            ctx.replyBody(r.getValue().toByteArray());
        }
        return o;
    }
}

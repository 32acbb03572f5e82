package dev.ferry.remote.worker;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ferry.FerryException;
import dev.ferry.InvalidArgumentException;
import dev.ferry.remote.protocol.Errors;
import dev.ferry.spi.FunctionRuntime;
import dev.ferry.spi.FunctionSpec;
import dev.ferry.storage.Codec;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The worker's {@link FunctionRuntime}: function calls go to the kernel as {@code function.*} call frames
 * (the kernel talks to the Ferry server), arguments and values in the store's codec. Targets:
 * {@code function.spawn} {spec} with the encoded arguments as the body (each length-prefixed) → the call id;
 * {@code function.get} {id, timeoutMs} and {@code function.cancel} {id} → {state, attempts, error?}, the
 * encoded value as the reply body when it succeeded.
 */
final class WorkerFunctions implements FunctionRuntime {
    /** How much longer than the server's wait the kernel gets to answer. */
    private static final long MARGIN_MS = 60_000;

    @Override
    public String spawn(FunctionSpec spec, List<Object> args) {
        return spawn(spec, args, null);
    }

    @Override
    public FunctionSpec lookup(String app, String name) {
        JsonObject req = new JsonObject();
        req.addProperty("app", app);
        req.addProperty("function", name);
        return fromJson(call("function.lookup", req, new byte[0], MARGIN_MS).value().getAsJsonObject());
    }

    /** A spec as {@code function.lookup} answers it (the JSON of {@link #toJson}); the signature is read from the source. */
    static FunctionSpec fromJson(JsonObject o) {
        String name = o.get("name").getAsString();
        String source = o.get("methodSource").getAsString();
        MethodSignature sig = MethodSignature.parse(source, name);
        List<String> decls = new ArrayList<>();
        o.getAsJsonArray("declarations").forEach(d -> decls.add(d.getAsString()));
        List<String> types = new ArrayList<>();
        if (o.has("parameterTypes")) {
            o.getAsJsonArray("parameterTypes").forEach(t -> types.add(t.getAsString()));
        }
        java.util.Map<String, String> env = new java.util.HashMap<>();
        if (o.has("env")) {
            o.getAsJsonObject("env").entrySet().forEach(e -> env.put(e.getKey(), e.getValue().getAsString()));
        }
        FunctionSpec.Scaling scaling = FunctionSpec.Scaling.DEFAULT;
        if (o.has("scaling")) {
            JsonObject sc = o.getAsJsonObject("scaling");
            scaling = new FunctionSpec.Scaling(sc.get("min").getAsInt(), sc.get("max").getAsInt(), sc.get("buffer").getAsInt(),
                    sc.get("scaledownS").getAsInt(), sc.get("maxInputs").getAsInt());
        }
        FunctionSpec.Backoff backoff = null;
        if (o.has("backoff")) {
            JsonObject b = o.getAsJsonObject("backoff");
            backoff = new FunctionSpec.Backoff(b.get("coefficient").getAsDouble(), b.get("initialDelayS").getAsDouble(),
                    b.get("maxDelayS").getAsDouble());
        }
        return new FunctionSpec(name, source, decls, types.isEmpty() ? sig.parameterTypes() : types, sig.parameterNames(),
                sig.returnType(), o.has("timeoutS") ? o.get("timeoutS").getAsInt() : 0,
                o.has("retries") ? o.get("retries").getAsInt() : 0,
                o.has("engine") && !o.get("engine").getAsString().isEmpty() ? o.get("engine").getAsString() : "process", env,
                scaling, backoff);
    }

    @Override
    public String spawn(FunctionSpec spec, List<Object> args, String app) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        for (int i = 0; i < args.size(); i++) {
            byte[] encoded;
            try {
                encoded = Codec.encode(args.get(i));
            } catch (RuntimeException e) {
                throw new InvalidArgumentException(spec.describe() + ": argument " + (i + 1) + " (" + spec.parameterNames().get(i)
                        + ") cannot be sent to the worker: " + e.getMessage());
            }
            try {
                out.writeInt(encoded.length);
                out.write(encoded);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        JsonObject req = new JsonObject();
        req.add("spec", toJson(spec));
        if (app != null) {
            req.addProperty("app", app);
        }
        return call("function.spawn", req, bytes.toByteArray(), MARGIN_MS).value().getAsString();
    }

    @Override
    public CallState get(String id, long timeoutMs) {
        JsonObject req = new JsonObject();
        req.addProperty("id", id);
        req.addProperty("timeoutMs", timeoutMs);
        return state(id, call("function.get", req, new byte[0], timeoutMs + MARGIN_MS));
    }

    @Override
    public CallState cancel(String id) {
        JsonObject req = new JsonObject();
        req.addProperty("id", id);
        return state(id, call("function.cancel", req, new byte[0], MARGIN_MS));
    }

    @Override
    public List<CallState> await(List<String> ids, long timeoutMs) {
        JsonObject req = new JsonObject();
        req.add("ids", array(ids));
        req.addProperty("timeoutMs", timeoutMs);
        KernelCalls.Answer a = call("function.wait", req, new byte[0], timeoutMs + MARGIN_MS);
        java.io.DataInputStream values = new java.io.DataInputStream(new java.io.ByteArrayInputStream(a.body()));
        List<CallState> out = new ArrayList<>();
        try {
            for (var e : a.value().getAsJsonObject().getAsJsonArray("finished")) {
                byte[] v = new byte[values.readInt()];
                values.readFully(v);
                JsonObject r = e.getAsJsonObject();
                out.add(state(r.get("id").getAsString(), r, v));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("the kernel's answer to function.wait is cut short", e);
        }
        return out;
    }

    @Override
    public Logs logs(String id, int from) {
        JsonObject req = new JsonObject();
        req.addProperty("id", id);
        req.addProperty("from", from);
        JsonObject r = call("function.logs", req, new byte[0], MARGIN_MS).value().getAsJsonObject();
        List<LogChunk> chunks = new ArrayList<>();
        r.getAsJsonArray("chunks").forEach(c -> chunks.add(new LogChunk(c.getAsJsonObject().get("stream").getAsString(),
                c.getAsJsonObject().get("text").getAsString())));
        return new Logs(chunks, r.get("next").getAsInt(), r.get("finished").getAsBoolean());
    }

    @Override
    public int warm(FunctionSpec spec) {
        JsonObject req = new JsonObject();
        req.add("spec", toJson(spec));
        return call("function.warm", req, new byte[0], 90_000 + MARGIN_MS).value().getAsInt();
    }

    @Override
    public IntConsumer progress(String label, int total) {
        dev.ferry.Progress p = dev.ferry.Progress.start(label, total,
                (bundle, displayId, update) -> Displays.show(Displays.bundle(bundle), displayId, update));
        return done -> {
            p.set(done);
            if (done >= total) {
                p.done();
            }
        };
    }

    static KernelCalls.Answer call(String target, JsonObject req, byte[] body, long timeoutMs) {
        try {
            return KernelCalls.call(target, req, body, timeoutMs);
        } catch (KernelCalls.CallFailed e) {
            if (e.remote != null) {
                throw e.remote instanceof FerryException fe && e.remoteMessage != null
                        ? withMessage(fe, e.remoteMessage) : e.remote;
            }
            if (Thread.currentThread().isInterrupted()) {
                throw new dev.ferry.CancelledException("interrupted while waiting for '" + target + "'; a spawned call"
                        + " goes on on the server: fetch it later with FunctionCall.fromId(id), or cancel() it");
            }
            throw new FerryException(FerryException.Code.UNAVAILABLE, e.getMessage());
        }
    }

    /** The kernel's error as thrown there, with its message and without the kernel's stack as a cause. */
    private static RuntimeException withMessage(FerryException fe, String message) {
        return switch (fe.code()) {
            case INVALID_ARGUMENT -> new InvalidArgumentException(message);
            case NOT_FOUND -> new dev.ferry.NotFoundException(message);
            default -> new FerryException(fe.code(), message);
        };
    }

    private static CallState state(String id, KernelCalls.Answer a) {
        return state(id, a.value().getAsJsonObject(), a.body());
    }

    private static CallState state(String id, JsonObject r, byte[] body) {
        String state = r.get("state").getAsString();
        int attempts = r.has("attempts") ? r.get("attempts").getAsInt() : 0;
        Object value = null;
        RuntimeException error = null;
        if (state.equals("SUCCEEDED")) {
            value = Codec.decode(body, Thread.currentThread().getContextClassLoader());
        } else if (r.has("error")) {
            JsonObject e = r.getAsJsonObject("error");
            List<String> stack = new ArrayList<>();
            if (e.has("stack")) {
                e.getAsJsonArray("stack").forEach(s -> stack.add(s.getAsString()));
            }
            FerryException.Code code = switch (state) {
                case "CANCELLED" -> FerryException.Code.CANCELLED;
                case "TIMED_OUT" -> FerryException.Code.DEADLINE_EXCEEDED;
                default -> FerryException.Code.REMOTE;
            };
            String message = e.get("message").getAsString();
            String type = e.get("type").getAsString();
            error = Errors.rebuild(code, type, message, stack, Thread.currentThread().getContextClassLoader());
            showRemoteFrames(error, stack);
        }
        return new CallState(id, state, value, error, attempts, r.has("logChunks") ? r.get("logChunks").getAsInt() : 0);
    }

    /**
     * Gives the {@link dev.ferry.RemoteException} in {@code error}'s causes the remote frames as its stack trace
     * ({@link ErrorReport#REMOTE_FRAME}), so the notebook's traceback shows where the function failed in its
     * worker; the worker's own call cell (FunctionReturn.send) is left out.
     */
    static void showRemoteFrames(Throwable error, List<String> remoteLines) {
        Throwable t = error;
        while (t != null && !(t instanceof dev.ferry.RemoteException)) {
            t = t.getCause();
        }
        if (t == null) {
            return;
        }
        List<StackTraceElement> frames = new ArrayList<>();
        for (String line : remoteLines) {
            String l = line.strip();
            if (l.startsWith("at ") && !l.contains(FunctionReturn.class.getName())) {
                // "helper (cell line 1):  ..." is a line of a declaration as the worker ran it
                String where = l.substring(3).replaceFirst("\\((?:cell|In \\[\\d+\\]) line (\\d+)\\)", "(in the function's worker, line $1)");
                frames.add(new StackTraceElement(ErrorReport.REMOTE_FRAME, where, null, -1));
            }
        }
        t.setStackTrace(frames.toArray(StackTraceElement[]::new));
    }

    static JsonObject toJson(FunctionSpec spec) {
        JsonObject o = new JsonObject();
        o.addProperty("name", spec.name());
        o.addProperty("methodSource", spec.methodSource());
        o.add("declarations", array(spec.declarations()));
        o.add("parameterTypes", array(spec.parameterTypes()));
        o.addProperty("timeoutS", spec.timeoutS());
        o.addProperty("retries", spec.retries());
        o.addProperty("engine", spec.engine());
        JsonObject env = new JsonObject();
        spec.env().forEach(env::addProperty);
        o.add("env", env);
        FunctionSpec.Scaling sc = spec.scaling();
        JsonObject scaling = new JsonObject();
        scaling.addProperty("min", sc.minContainers());
        scaling.addProperty("max", sc.maxContainers());
        scaling.addProperty("buffer", sc.bufferContainers());
        scaling.addProperty("scaledownS", sc.scaledownWindowS());
        scaling.addProperty("maxInputs", sc.maxInputs());
        o.add("scaling", scaling);
        if (spec.backoff() != null) {
            JsonObject b = new JsonObject();
            b.addProperty("coefficient", spec.backoff().coefficient());
            b.addProperty("initialDelayS", spec.backoff().initialDelayS());
            b.addProperty("maxDelayS", spec.backoff().maxDelayS());
            o.add("backoff", b);
        }
        return o;
    }

    private static JsonArray array(List<String> xs) {
        JsonArray a = new JsonArray();
        xs.forEach(a::add);
        return a;
    }

}

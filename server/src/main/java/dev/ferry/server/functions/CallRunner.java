package dev.ferry.server.functions;

import dev.ferry.remote.worker.MethodSignature;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.proto.v1.CallState;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.RemoteError;
import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.remote.engine.EngineException;
import dev.ferry.remote.engine.PlacementSpec;
import dev.ferry.remote.engine.ProcessEngine;
import dev.ferry.remote.protocol.Ops;
import dev.ferry.remote.worker.FunctionReturn;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

/**
 * One attempt of a function call in a fresh worker JVM (the process engine): the notebook's declarations,
 * the method, the arguments bound with their declared types, then {@code FunctionReturn.send(name(args))},
 * whose encoded value comes back as a {@value FunctionReturn#TARGET} call. The worker is stopped after the attempt.
 */
public final class CallRunner {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");
    /** Modal's default per-attempt timeout. */
    static final int DEFAULT_TIMEOUT_S = 300;
    private static final long START_TIMEOUT_S = 60;
    private static final long DECLARE_TIMEOUT_S = 120;

    /** How an attempt ended. {@code infrastructure}: the worker was lost (does not count against retries). */
    public record Outcome(CallState state, byte[] value, RemoteError error, boolean infrastructure) {
        static Outcome failed(String type, String message, boolean infrastructure) {
            return new Outcome(CallState.CALL_STATE_FAILED, null,
                    RemoteError.newBuilder().setType(type).setMessage(message).build(), infrastructure);
        }
    }

    private final ProcessEngine engine;
    private final List<Path> classPath;
    private final List<String> jvmOptions;

    public CallRunner(Path dataDir, String workerClassPath) {
        String javaExe = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        this.engine = new ProcessEngine(javaExe);
        this.classPath = new ArrayList<>();
        for (String e : workerClassPath.split(java.io.File.pathSeparator)) {
            if (!e.isBlank()) {
                classPath.add(Path.of(e));
            }
        }
        this.jvmOptions = List.of("-XX:+ExitOnOutOfMemoryError", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Djava.awt.headless=true",
                "-D" + dev.ferry.remote.worker.WorkerMain.DATA_DIR_PROPERTY + "=" + dataDir);
    }

    /**
     * Starts a worker JVM as a call's (same class path, options and data directory) for a long-lived use of the
     * server's own, such as a {@code %%web} app; the caller closes it.
     */
    public Worker startWorker(Map<String, String> labels, Map<String, String> env, Worker.CallHandler calls) throws EngineException {
        return Worker.attach(engine.start(new PlacementSpec(ProcessEngine.LOCAL,
                new dev.ferry.remote.engine.WorkerLaunch("java", jvmOptions, classPath, env, null),
                labels, null, null, "none", null, List.of())), ev -> { }, calls);
    }

    /**
     * Runs one attempt; {@code running} holds the worker while it runs (a cancel kills it).
     *
     * @throws InterruptedException when the server stops meanwhile (the call stays accepted and resumes later)
     */
    public Outcome run(String callId, FunctionSpec spec, List<byte[]> args, AtomicReference<Worker> running) throws InterruptedException {
        MethodSignature sig = signature(spec);
        AtomicReference<byte[]> value = new AtomicReference<>();
        Worker.CallHandler calls = new Worker.CallHandler() {
            @Override
            public JsonElement call(String target, JsonObject a) {
                throw new IllegalArgumentException("unknown call target '" + target + "' in a function call");
            }

            @Override
            public JsonElement call(String target, JsonObject a, byte[] body, Worker.CallContext ctx) {
                if (!target.equals(FunctionReturn.TARGET)) {
                    return call(target, a);
                }
                value.set(body);
                return null;
            }
        };
        Worker w;
        try {
            w = Worker.attach(engine.start(new PlacementSpec(ProcessEngine.LOCAL,
                    new dev.ferry.remote.engine.WorkerLaunch("java", jvmOptions, classPath, spec.getOptions().getEnvMap(), null),
                    Map.of("ferry.call", callId), null, null, "none", null, List.of())), ev -> { }, calls);
        } catch (EngineException e) {
            return Outcome.failed("WorkerStartFailed", e.getMessage(), true);
        }
        running.set(w);
        try {
            w.ready().get(START_TIMEOUT_S, TimeUnit.SECONDS);
            for (String d : spec.getDeclarationsList()) {
                if (w.execute(d, 0, false).end(DECLARE_TIMEOUT_S, TimeUnit.SECONDS) instanceof WorkerEvent.Result r && !r.status().equals("ok")) {
                    LOG.info(callId + ": a notebook declaration did not compile in the worker (" + evalue(r) + "); the call runs without it");
                }
            }
            WorkerEvent declared = w.execute(spec.getMethodSource(), 0, false).end(DECLARE_TIMEOUT_S, TimeUnit.SECONDS);
            if (declared instanceof WorkerEvent.Result r && !r.status().equals("ok")) {
                return new Outcome(CallState.CALL_STATE_FAILED, null, error(r), false);
            } else if (!(declared instanceof WorkerEvent.Result)) {
                return died(declared);
            }
            String unbound = bind(w, sig, args);
            if (unbound != null) {
                return Outcome.failed("ArgumentError", unbound, false);
            }
            int timeoutS = spec.getOptions().getTimeoutS() > 0 ? spec.getOptions().getTimeoutS() : DEFAULT_TIMEOUT_S;
            WorkerEvent ev = w.execute(callCode(spec.getName(), sig), 1, false).end(timeoutS, TimeUnit.SECONDS);
            if (ev == null) {
                return new Outcome(CallState.CALL_STATE_TIMED_OUT, null, RemoteError.newBuilder().setType("TimeoutError")
                        .setMessage("the attempt ran past timeout=" + timeoutS + " s and its worker was stopped").build(), false);
            }
            if (ev instanceof WorkerEvent.Result r) {
                if (!r.status().equals("ok")) {
                    return new Outcome(CallState.CALL_STATE_FAILED, null, error(r), false);
                }
                byte[] v = value.get();
                if (v == null) {
                    return Outcome.failed("NoResult", "the worker finished the call without sending its value", true);
                }
                return new Outcome(CallState.CALL_STATE_SUCCEEDED, v, null, false);
            }
            return died(ev);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
            return Outcome.failed("WorkerDied", "the worker process did not start or answer: " + e.getMessage(), true);
        } finally {
            running.set(null);
            w.close();
        }
    }

    private static Outcome died(WorkerEvent ev) {
        String why = ev instanceof WorkerEvent.Died d ? d.death().explain() : "it did not answer in time";
        return Outcome.failed("WorkerDied", "the worker process died during the call: " + why, true);
    }

    static MethodSignature signature(FunctionSpec spec) {
        MethodSignature parsed = MethodSignature.parse(spec.getMethodSource(), spec.getName());
        if (spec.getParameterTypesCount() == 0) {
            return parsed;
        }
        return new MethodSignature(parsed.returnType(), spec.getParameterTypesList(), parsed.parameterNames());
    }

    /** The cell that calls the method on the bound arguments and sends its value back. */
    static String callCode(String name, MethodSignature sig) {
        List<String> argNames = new ArrayList<>();
        for (int i = 0; i < sig.parameterTypes().size(); i++) {
            argNames.add(argName(i));
        }
        String call = name + "(" + String.join(", ", argNames) + ")";
        String send = FunctionReturn.class.getName() + ".send";
        return sig.returnsVoid() ? call + "; " + send + "(null);" : send + "(" + call + ");";
    }

    private static String argName(int i) {
        return "__ferry_arg" + i;
    }

    /** Binds the arguments; returns why that failed, or null. */
    private static String bind(Worker w, MethodSignature sig, List<byte[]> args) throws IOException, InterruptedException {
        if (args.isEmpty()) {
            return null;
        }
        JsonArray vars = new JsonArray();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        for (int i = 0; i < args.size(); i++) {
            JsonObject v = new JsonObject();
            v.addProperty("name", argName(i));
            v.addProperty("type", sig.parameterTypes().get(i));
            vars.add(v);
            out.writeInt(args.get(i).length);
            out.write(args.get(i));
        }
        JsonObject fields = new JsonObject();
        fields.add("vars", vars);
        try {
            JsonObject r = w.request(Ops.BIND, fields, body.toByteArray()).get(DECLARE_TIMEOUT_S, TimeUnit.SECONDS);
            if (!"ok".equals(r.get("status").getAsString())) {
                return "the arguments could not be bound in the worker: " + (r.has("evalue") ? r.get("evalue").getAsString() : "?");
            }
            return null;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the worker did not take the arguments: " + e.getMessage(), e);
        }
    }

    private static String evalue(WorkerEvent.Result r) {
        return r.fields().has("evalue") ? r.fields().get("evalue").getAsString() : "?";
    }

    /** The worker's error report as a RemoteError: its ename, evalue and traceback (colours removed). */
    static RemoteError error(WorkerEvent.Result r) {
        JsonObject f = r.fields();
        RemoteError.Builder b = RemoteError.newBuilder()
                .setType(f.has("ename") ? f.get("ename").getAsString() : "Error")
                .setMessage(evalue(r));
        if (f.has("traceback") && f.get("traceback").isJsonArray()) {
            for (JsonElement line : f.getAsJsonArray("traceback")) {
                b.addStackTrace(line.getAsString().replaceAll("\u001b\\[[0-9;]*m", ""));
            }
        }
        return b.build();
    }
}

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
 * Function workers (the process engine): {@link #start} makes a worker JVM ready for a function (the notebook's
 * declarations, then the method), {@link #call} runs one input on it (the arguments bound with their declared
 * types, then {@code FunctionReturn.send(name(args))}, whose encoded value comes back as a
 * {@value FunctionReturn#TARGET} call). {@link WorkerPool} keeps ready workers warm between calls.
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
    /** Answers the worker's function.* and app.* calls (a function calling another one), or null. */
    private volatile Worker.CallHandler nested;

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

    /** A worker with the function's declarations and method declared, ready for calls ({@link #call}). */
    public static final class Warm {
        final Worker worker;
        final AtomicReference<byte[]> value;
        /** The running input's arguments, each length-prefixed: what {@value FunctionReturn#ARGS_TARGET} answers. */
        final AtomicReference<byte[]> args;
        /** Whether the one-snippet call cell compiled here (null: not tried yet; false: bind the arguments first). */
        Boolean direct;
        int inputs;
        long idleSinceMs;
        private int cell = 1;

        Warm(Worker worker, AtomicReference<byte[]> value, AtomicReference<byte[]> args) {
            this.worker = worker;
            this.value = value;
            this.args = args;
        }

        public Worker worker() {
            return worker;
        }

        boolean alive() {
            return worker.isAlive();
        }

        void close() {
            worker.close();
        }
    }

    /** A started worker, or why it could not be made ready (a method that does not compile, a JVM that did not start). */
    public record Started(Warm warm, Outcome failure) {}

    /** Receives what an attempt prints: the stream ("stdout", "stderr") and the text. */
    public interface LogSink {
        void print(String stream, String text);

        LogSink NONE = (stream, text) -> { };
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
     * Runs one attempt in a fresh worker that is stopped afterwards; {@code running} holds the worker while it runs
     * (a cancel kills it).
     *
     * @throws InterruptedException when the server stops meanwhile (the call stays accepted and resumes later)
     */
    public Outcome run(String callId, FunctionSpec spec, List<byte[]> args, AtomicReference<Worker> running) throws InterruptedException {
        Started s = start(callId, spec);
        if (s.failure() != null) {
            return s.failure();
        }
        running.set(s.warm().worker);
        try {
            return call(s.warm(), callId, spec, args, LogSink.NONE);
        } finally {
            running.set(null);
            s.warm().close();
        }
    }

    /**
     * Starts a worker JVM and declares the notebook's declarations (one that does not compile is logged and
     * skipped, as %%remote does) and the method; {@code label} names it in the log (a call id or a pool).
     */
    public Started start(String label, FunctionSpec spec) throws InterruptedException {
        AtomicReference<byte[]> value = new AtomicReference<>();
        AtomicReference<byte[]> args = new AtomicReference<>(new byte[0]);
        Worker w;
        try {
            w = Worker.attach(engine.start(new PlacementSpec(ProcessEngine.LOCAL,
                    new dev.ferry.remote.engine.WorkerLaunch("java", jvmOptions, classPath, spec.getOptions().getEnvMap(), null),
                    Map.of("ferry.function", spec.getName()), null, null, "none", null, List.of())), ev -> { }, handler(value, args));
        } catch (EngineException e) {
            return new Started(null, Outcome.failed("WorkerStartFailed", e.getMessage(), true));
        }
        boolean ready = false;
        try {
            w.ready().get(START_TIMEOUT_S, TimeUnit.SECONDS);
            for (String d : spec.getDeclarationsList()) {
                if (w.execute(d, 0, false).end(DECLARE_TIMEOUT_S, TimeUnit.SECONDS) instanceof WorkerEvent.Result r && !r.status().equals("ok")) {
                    LOG.info(label + ": a notebook declaration did not compile in the worker (" + evalue(r) + "); the call runs without it");
                }
            }
            WorkerEvent declared = w.execute(spec.getMethodSource(), 0, false).end(DECLARE_TIMEOUT_S, TimeUnit.SECONDS);
            if (declared instanceof WorkerEvent.Result r && !r.status().equals("ok")) {
                return new Started(null, new Outcome(CallState.CALL_STATE_FAILED, null, error(r), false));
            } else if (!(declared instanceof WorkerEvent.Result)) {
                return new Started(null, died(declared));
            }
            ready = true;
            return new Started(new Warm(w, value, args), null);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException | IOException e) {
            return new Started(null, Outcome.failed("WorkerDied", "the worker process did not start or answer: " + e.getMessage(), true));
        } finally {
            if (!ready) {
                w.close();
            }
        }
    }

    /**
     * Runs one input on a ready worker: binds the arguments with their declared types and runs
     * {@code FunctionReturn.send(name(args))}; what the attempt prints goes to {@code logs}. A timed-out attempt's
     * worker is killed (it must not be reused).
     */
    public Outcome call(Warm warm, String callId, FunctionSpec spec, List<byte[]> args, LogSink logs) throws InterruptedException {
        MethodSignature sig = signature(spec);
        Worker w = warm.worker;
        warm.value.set(null);
        warm.inputs++;
        try {
            warm.args.set(lengthPrefixed(args));
            int timeoutS = spec.getOptions().getTimeoutS() > 0 ? spec.getOptions().getTimeoutS() : DEFAULT_TIMEOUT_S;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutS);
            WorkerEvent ev = null;
            if (!Boolean.FALSE.equals(warm.direct)) {
                ev = await(w.execute(directCallCode(spec.getName(), sig), ++warm.cell, false), deadline, logs);
                if (warm.direct == null && ev instanceof WorkerEvent.Result r && !r.status().equals("ok")
                        && "CompilationException".equals(r.fields().has("ename") ? r.fields().get("ename").getAsString() : "")) {
                    // a parameter type the cast form does not take: bind the arguments, as a fresh worker does
                    LOG.info(callId + ": the one-snippet call did not compile (" + evalue(r) + "); binding the arguments instead");
                    warm.direct = false;
                    ev = null;
                } else if (ev instanceof WorkerEvent.Result) {
                    warm.direct = true;
                }
            }
            if (Boolean.FALSE.equals(warm.direct)) {
                String unbound = bind(w, sig, args);
                if (unbound != null) {
                    return Outcome.failed("ArgumentError", unbound, false);
                }
                ev = await(w.execute(callCode(spec.getName(), sig), ++warm.cell, false), deadline, logs);
            }
            if (ev == null) {
                w.kill();
                return new Outcome(CallState.CALL_STATE_TIMED_OUT, null, RemoteError.newBuilder().setType("TimeoutError")
                        .setMessage("the attempt ran past timeout=" + timeoutS + " s and its worker was stopped").build(), false);
            }
            if (ev instanceof WorkerEvent.Result r) {
                if (!r.status().equals("ok")) {
                    return new Outcome(CallState.CALL_STATE_FAILED, null, error(r), false);
                }
                byte[] v = warm.value.get();
                if (v == null) {
                    return Outcome.failed("NoResult", "the worker finished the call without sending its value", true);
                }
                return new Outcome(CallState.CALL_STATE_SUCCEEDED, v, null, false);
            }
            return died(ev);
        } catch (IOException e) {
            w.kill();
            return Outcome.failed("WorkerDied", "the worker process did not answer: " + e.getMessage(), true);
        }
    }

    /** Reads a running cell's events until its end, its output to {@code logs}; null at the deadline. */
    private static WorkerEvent await(Worker.Execution ex, long deadline, LogSink logs) throws InterruptedException {
        while (true) {
            WorkerEvent ev = ex.next(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (ev instanceof WorkerEvent.Stream st) {
                logs.print(st.name(), st.text());
            } else if (ev == null || ev instanceof WorkerEvent.Result || ev instanceof WorkerEvent.Died) {
                return ev;
            }
        }
    }

    private static byte[] lengthPrefixed(List<byte[]> args) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(body);
        for (byte[] a : args) {
            out.writeInt(a.length);
            out.write(a);
        }
        return body.toByteArray();
    }

    /** Lets the call workers' own {@code function.*} / {@code app.*} calls through to {@code handler}. */
    public void nestedCalls(Worker.CallHandler handler) {
        this.nested = handler;
    }

    /**
     * Answers the worker's call frames: {@value FunctionReturn#TARGET} carries the value of the running input;
     * a function's own {@code function.*} / {@code app.*} calls (a function calling another) go to {@link #nestedCalls}.
     */
    private Worker.CallHandler handler(AtomicReference<byte[]> value, AtomicReference<byte[]> args) {
        return new Worker.CallHandler() {
            @Override
            public JsonElement call(String target, JsonObject a) {
                throw new IllegalArgumentException("unknown call target '" + target + "' in a function call");
            }

            @Override
            public JsonElement call(String target, JsonObject a, byte[] body, Worker.CallContext ctx) throws Exception {
                if (target.equals(FunctionReturn.ARGS_TARGET)) {
                    ctx.replyBody(args.get());
                    return null;
                }
                if (!target.equals(FunctionReturn.TARGET)) {
                    Worker.CallHandler n = nested;
                    if (n != null && (target.startsWith("function.") || target.startsWith("app."))) {
                        return n.call(target, a, body, ctx);
                    }
                    return call(target, a);
                }
                value.set(body);
                return null;
            }
        };
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

    /**
     * The one-snippet cell of a warm call: {@code FunctionReturn.call(a -> name((T0) a[0], ...))}, which fetches
     * the input's arguments ({@value FunctionReturn#ARGS_TARGET}), casts each to its declared type (as binding
     * does), runs the method and sends the value; one JShell compile per call, none per argument.
     */
    static String directCallCode(String name, MethodSignature sig) {
        List<String> args = new ArrayList<>();
        for (int i = 0; i < sig.parameterTypes().size(); i++) {
            args.add("(" + sig.parameterTypes().get(i) + ") __ferry_a[" + i + "]");
        }
        String call = name + "(" + String.join(", ", args) + ")";
        String fr = FunctionReturn.class.getName();
        return sig.returnsVoid() ? fr + ".run(__ferry_a -> { " + call + "; });" : fr + ".call(__ferry_a -> " + call + ");";
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

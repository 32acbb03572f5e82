package dev.ferry.remote;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.remote.engine.Placement;
import dev.ferry.remote.engine.ProcessPlacement;
import dev.ferry.remote.engine.WorkerLaunch;
import dev.ferry.remote.protocol.Frame;
import dev.ferry.remote.protocol.FrameCodec;
import dev.ferry.remote.protocol.Ops;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The kernel's handle on one worker placement (here: a local child process). Frames are read on a
 * thread of its own and routed by request id; raw output is read on another and ordered before each
 * cell's result by the worker's sync markers.
 */
public final class Worker implements AutoCloseable {
    /** How long a result waits for the raw-output marker before it is released anyway. */
    private static final long RAW_SYNC_WAIT_MS = 500;

    private final Placement placement;
    private final FrameCodec codec;
    private final RawOutputPump raw;
    private final Consumer<WorkerEvent> orphans;
    private final CallHandler calls;
    private final AtomicLong ids = new AtomicLong();
    private final Map<Long, CompletableFuture<JsonObject>> requests = new ConcurrentHashMap<>();
    private final CompletableFuture<JsonObject> hello = new CompletableFuture<>();
    private final CompletableFuture<WorkerDeath> death = new CompletableFuture<>();
    /** The exit status reported at the end of the raw output (placements that are not our child). */
    private final CompletableFuture<Integer> rawExit = new CompletableFuture<>();
    private volatile Execution active;
    private volatile boolean rawSync;

    /**
     * Answers a worker's {@code call} into the kernel (docs/worker-protocol.md): returns the value, or
     * throws to answer with an error (its message is sent back).
     */
    @FunctionalInterface
    public interface CallHandler {
        JsonElement call(String target, JsonObject args) throws Exception;

        /**
         * The full form: the call's body (raw bytes beside the JSON args) and its context (the cell it
         * came from, to stream output into). A reply body goes back through {@link CallContext#replyBody}.
         */
        default JsonElement call(String target, JsonObject args, byte[] body, CallContext context) throws Exception {
            return call(target, args);
        }

        /** Answers every call with "unknown target". */
        CallHandler NONE = (target, args) -> {
            throw new IllegalArgumentException("unknown call target '" + target + "'");
        };
    }

    /** What a call handler can do beside returning a value: stream into the calling cell, attach bytes. */
    public final class CallContext {
        private byte[] replyBody = new byte[0];

        /** Output or a display for the cell that made the call, as if the worker had sent it. */
        public void emit(WorkerEvent event) {
            Execution e = active;
            if (e != null && !e.finished()) {
                e.offer(event);
            } else {
                orphans.accept(event);
            }
        }

        /** The worker that made the call. */
        public Worker worker() {
            return Worker.this;
        }

        /** Raw bytes sent back with the reply (an Arrow table, say). */
        public void replyBody(byte[] body) {
            replyBody = body == null ? new byte[0] : body;
        }
    }

    /** Calls are answered off the frame-reading thread: a slow answer must not hold up the cell's output. */
    private static final java.util.concurrent.ExecutorService CALLS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ferry-worker-calls");
        t.setDaemon(true);
        return t;
    });

    private Worker(Placement placement, Consumer<WorkerEvent> orphans, CallHandler calls) {
        this.placement = placement;
        this.orphans = orphans;
        this.calls = calls;
        this.codec = new FrameCodec(placement.frames(), new BufferedOutputStream(placement.input(), 1 << 16));
        this.raw = new RawOutputPump(placement.raw(), this::onRawText, this::onRawSync, rawExit::complete);
    }

    /**
     * Starts a worker; returns at once. {@code orphans} receives output that arrives while no cell runs
     * (a background thread printing after its cell ended).
     */
    public static Worker start(WorkerLaunch launch, Consumer<WorkerEvent> orphans) throws IOException {
        return start(launch, orphans, CallHandler.NONE);
    }

    /** Like {@link #start(WorkerLaunch, Consumer)}; {@code calls} answers the worker's calls into the kernel. */
    public static Worker start(WorkerLaunch launch, Consumer<WorkerEvent> orphans, CallHandler calls) throws IOException {
        return attach(ProcessPlacement.start(launch), orphans, calls);
    }

    /** A worker over a placement an engine started (a container, a child process). */
    public static Worker attach(Placement placement, Consumer<WorkerEvent> orphans, CallHandler calls) {
        Worker w = new Worker(placement, orphans, calls);
        w.startThreads();
        return w;
    }

    private void startThreads() {
        Thread reader = new Thread(this::readFrames, "ferry-worker-frames-" + placement.id());
        reader.setDaemon(true);
        reader.start();
        Thread pump = new Thread(raw, "ferry-worker-raw-" + placement.id());
        pump.setDaemon(true);
        pump.start();
    }

    /** The placement's id: the pid of a local worker, the container id of a container. */
    public String id() {
        return placement.id();
    }

    public Placement placement() {
        return placement;
    }

    /** Completes with the worker's hello (pid, java version) once its JShell is warm. */
    public CompletableFuture<JsonObject> ready() {
        return hello;
    }

    public CompletableFuture<WorkerDeath> death() {
        return death;
    }

    public boolean isAlive() {
        return !death.isDone() && placement.isAlive();
    }

    /** Sends a cell; read what it reports from the returned execution until a Result or Died event. */
    public Execution execute(String code, int cellNumber, boolean allowStdin) throws IOException {
        return execute(code, cellNumber, allowStdin, new JsonObject());
    }

    /** Like {@link #execute(String, int, boolean)} with more header fields ({@code capture}: tabular value as Arrow). */
    public Execution execute(String code, int cellNumber, boolean allowStdin, JsonObject extra) throws IOException {
        JsonObject fields = extra.deepCopy();
        fields.addProperty("code", code);
        fields.addProperty("cell", cellNumber);
        fields.addProperty("allowStdin", allowStdin);
        return run(Ops.EXECUTE, fields);
    }

    /**
     * Sends a request that runs user code the way a cell does ({@code execute}, or {@code comm}: a comm
     * handler); read its output from the returned execution until a Result or Died event.
     */
    public Execution run(String op, JsonObject fields) throws IOException {
        long id = ids.incrementAndGet();
        Execution e = new Execution(id);
        active = e;
        if (death.isDone()) {
            e.offer(new WorkerEvent.Died(death.join()));
            return e;
        }
        Frame f = Frame.of(op, id);
        fields.entrySet().forEach(en -> f.header().add(en.getKey(), en.getValue()));
        try {
            send(f);
        } catch (IOException broken) { // the worker is gone (a broken pipe) and its death is on the way
            try {
                e.offer(new WorkerEvent.Died(death.get(3, TimeUnit.SECONDS)));
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException x) {
                throw broken;
            } catch (InterruptedException x) {
                Thread.currentThread().interrupt();
                throw broken;
            }
        }
        return e;
    }

    /** A request answered by one {@code reply} frame (complete, inspect, is_complete). */
    public CompletableFuture<JsonObject> request(String op, JsonObject fields) {
        return request(op, fields, new byte[0]);
    }

    /** A request with a body (the values of {@code bind}). */
    public CompletableFuture<JsonObject> request(String op, JsonObject fields, byte[] body) {
        long id = ids.incrementAndGet();
        CompletableFuture<JsonObject> f = new CompletableFuture<>();
        requests.put(id, f);
        Frame frame = Frame.of(op, id).withBody(body);
        fields.entrySet().forEach(en -> frame.header().add(en.getKey(), en.getValue()));
        try {
            if (death.isDone()) {
                throw new IOException(death.join().explain());
            }
            send(frame);
        } catch (IOException e) {
            requests.remove(id);
            f.completeExceptionally(e);
        }
        return f;
    }

    public void interrupt() {
        try {
            send(Frame.of(Ops.INTERRUPT));
        } catch (IOException e) {
            // dead already: the death event ends the cell
        }
    }

    /** Answers an input request; {@code value} null tells the cell there is no input (end of file). */
    public void answerInput(long rid, String value) {
        try {
            Frame f = Frame.of(Ops.INPUT_REPLY).with("rid", rid);
            if (value != null) {
                f.with("value", value);
            }
            send(f);
        } catch (IOException e) {
            // dead: the death event ends the cell
        }
    }

    private void send(Frame f) throws IOException {
        codec.write(f);
    }

    private void readFrames() {
        String problem = null;
        try {
            Frame f;
            while ((f = codec.read()) != null) {
                try {
                    route(f);
                } catch (RuntimeException e) { // a listener's bug must not stop the reading
                    System.err.println("[ferry] worker frame '" + f.op() + "' failed: " + e);
                }
            }
        } catch (FrameCodec.ProtocolException e) {
            problem = e.getMessage();
        } catch (IOException e) {
            // pipe closed: the process ended
        }
        died(problem);
    }

    private void route(Frame f) {
        switch (f.op()) {
            case Ops.HELLO -> {
                rawSync = f.bool("rawSync");
                hello.complete(f.header());
            }
            case Ops.REPLY -> {
                CompletableFuture<JsonObject> r = requests.remove(f.id());
                if (r != null) {
                    r.complete(f.header());
                }
            }
            case Ops.STREAM -> deliver(f.id(), new WorkerEvent.Stream(f.str("name"), new String(f.body(), StandardCharsets.UTF_8)));
            case Ops.DISPLAY -> deliver(f.id(), new WorkerEvent.Display(f.header()));
            case Ops.INPUT_REQUEST -> deliver(f.id(), new WorkerEvent.InputRequest(
                    f.header().get("rid").getAsLong(), f.str("prompt"), f.bool("password")));
            case Ops.RESULT -> {
                Execution e = active;
                if (e != null && e.id == f.id()) {
                    JsonObject fields = f.header().deepCopy();
                    fields.remove("op"); // the frame's own fields: a result is passed on into other frames
                    fields.remove("id");
                    e.resultArrived(new WorkerEvent.Result(fields, f.body()), rawSync);
                }
            }
            case Ops.CALL -> {
                JsonObject h = f.header();
                byte[] body = f.body();
                CALLS.execute(() -> answerCall(h, body));
            }
            default -> { /* unknown ops from a newer worker are ignored */ }
        }
    }

    private void answerCall(JsonObject call, byte[] body) {
        Frame reply = Frame.of(Ops.CALL_REPLY).with("rid", call.get("rid").getAsLong());
        try {
            String target = call.has("target") ? call.get("target").getAsString() : "";
            JsonObject args = call.has("args") && call.get("args").isJsonObject() ? call.getAsJsonObject("args") : new JsonObject();
            CallContext context = new CallContext();
            JsonElement value = calls.call(target, args, body, context);
            reply.with("ok", true);
            reply.header().add("value", value == null ? com.google.gson.JsonNull.INSTANCE : value);
            reply = reply.withBody(context.replyBody);
        } catch (Exception e) {
            dev.ferry.remote.protocol.Errors.write(reply.with("ok", false).header(), e);
        }
        try {
            send(reply);
        } catch (IOException e) {
            // the worker is gone
        }
    }

    private void deliver(long id, WorkerEvent event) {
        Execution e = active;
        if (e != null && e.id == id && !e.finished()) {
            e.offer(event);
        } else {
            orphans.accept(event);
        }
    }

    private void onRawText(String name, String text) {
        Execution e = active;
        if (e != null && !e.finished()) {
            e.offer(new WorkerEvent.Stream(name, text));
        } else {
            try {
                orphans.accept(new WorkerEvent.Stream(name, text));
            } catch (RuntimeException ex) { // a listener's bug must not stop the reading
                System.err.println("[ferry] raw worker output lost: " + ex);
            }
        }
    }

    private void onRawSync(long id) {
        Execution e = active;
        if (e != null && e.id == id) {
            e.rawSynced();
        }
    }

    private void died(String problem) {
        int code = placement.awaitExit(java.time.Duration.ofSeconds(2)).orElse(-1);
        if (code < 0 && placement.exitInRawOutput()) {
            try {
                code = rawExit.get(2, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                // the shell did not say: unknown
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Thread.sleep(20); // let the raw pump take the last words (an OutOfMemoryError line, say)
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        WorkerDeath d = new WorkerDeath(code, raw.lastLines(), problem);
        death.complete(d);
        hello.completeExceptionally(new IOException(d.explain()));
        requests.values().forEach(r -> r.completeExceptionally(new IOException(d.explain())));
        requests.clear();
        Execution e = active;
        if (e != null && !e.finished()) {
            e.offer(new WorkerEvent.Died(d));
        }
    }

    /** Ends the worker: a shutdown frame, then the process is killed if it has not left within 200 ms. */
    @Override
    public void close() {
        try {
            send(Frame.of(Ops.SHUTDOWN));
        } catch (IOException e) {
            // already gone
        }
        placement.awaitExit(java.time.Duration.ofMillis(200));
        placement.kill(); // gone already, or killed now; a container is removed either way
    }

    /** Kills the worker at once (used when it must be replaced). */
    public void kill() {
        placement.kill();
    }

    /** The events of one running cell. */
    public static final class Execution {
        private final long id;
        private final java.util.concurrent.LinkedBlockingQueue<WorkerEvent> events = new java.util.concurrent.LinkedBlockingQueue<>();
        private volatile boolean finished;
        private WorkerEvent.Result result;
        private boolean synced;

        Execution(long id) {
            this.id = id;
        }

        /** Blocks for the next event; after a Result or Died there are no more. */
        public WorkerEvent next() throws InterruptedException {
            return events.take();
        }

        /**
         * Skips output and displays until the cell's Result or Died event and returns it; null when the
         * timeout passes first (for cells whose output nobody reads: checks, replayed declarations).
         */
        public WorkerEvent end(long timeout, TimeUnit unit) throws InterruptedException {
            long deadline = System.nanoTime() + unit.toNanos(timeout);
            while (true) {
                WorkerEvent ev = next(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (ev == null || ev instanceof WorkerEvent.Result || ev instanceof WorkerEvent.Died) {
                    return ev;
                }
            }
        }

        /** Like {@link #next()}, but gives up after the timeout and returns null. */
        public WorkerEvent next(long timeout, TimeUnit unit) throws InterruptedException {
            return events.poll(timeout, unit);
        }

        boolean finished() {
            return finished;
        }

        void offer(WorkerEvent e) {
            if (e instanceof WorkerEvent.Died) {
                if (finished) {
                    return;
                }
                finished = true;
            }
            events.add(e);
        }

        synchronized void resultArrived(WorkerEvent.Result r, boolean waitForSync) {
            result = r;
            if (!waitForSync || synced) {
                release();
            } else {
                CompletableFuture.delayedExecutor(RAW_SYNC_WAIT_MS, TimeUnit.MILLISECONDS).execute(this::releaseLate);
            }
        }

        synchronized void rawSynced() {
            synced = true;
            if (result != null) {
                release();
            }
        }

        private synchronized void releaseLate() {
            release();
        }

        private void release() {
            if (!finished && result != null) {
                finished = true;
                events.add(result);
            }
        }
    }
}

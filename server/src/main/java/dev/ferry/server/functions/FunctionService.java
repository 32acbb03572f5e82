package dev.ferry.server.functions;

import dev.ferry.remote.worker.MethodSignature;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proto.v1.CallInfo;
import dev.ferry.proto.v1.CallRef;
import dev.ferry.proto.v1.CallResult;
import dev.ferry.proto.v1.CallState;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.GetRequest;
import dev.ferry.proto.v1.ListCallsRequest;
import dev.ferry.proto.v1.RemoteError;
import dev.ferry.proto.v1.SpawnReply;
import dev.ferry.proto.v1.SpawnRequest;
import dev.ferry.proto.v1.Values;
import dev.ferry.proto.v1.LogsReply;
import dev.ferry.proto.v1.LogsRequest;
import dev.ferry.proto.v1.WaitReply;
import dev.ferry.proto.v1.WaitRequest;
import dev.ferry.proto.v1.WarmReply;
import dev.ferry.remote.Worker;
import io.grpc.stub.StreamObserver;

import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The Functions service of ferry.proto. Spawn records the call in calls.sqlite before it answers; attempts run on
 * a pool of {@code FERRY_SERVER_WORKERS} (default 4) threads, each on a warm worker of the function
 * ({@link WorkerPool}: reused across calls of the same spec, up to its max_containers; an attempt over the cap
 * waits in line without holding a thread); retries are done here ({@link Retries}: 1 s apart for
 * {@code retries=N}, or a backoff policy), the delay on a timer; a lost worker is retried at once without
 * counting against them (at most {@value #INFRA_RETRIES} times). At start, calls that were accepted and not
 * finished (the server stopped or was killed) run again; each call ends once.
 */
public final class FunctionService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");
    static final int INFRA_RETRIES = 2;
    private static final int DEFAULT_LIST = 100;
    /** The most calls one Wait names. */
    static final int MAX_WAIT_IDS = 10_000;
    /** How long Wait gathers further finished calls after the first one. */
    static final long WAIT_LINGER_MS = 20;
    /** How long Warm waits for the workers it starts to be ready. */
    static final long WARM_WAIT_MS = 60_000;

    private final CallsDb db;
    private final CallRunner runner;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("ferry-calls-timer"));
    private final Map<String, CompletableFuture<Void>> done = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Worker>> running = new ConcurrentHashMap<>();
    private final ExecutorService starts = Executors.newCachedThreadPool(daemon("ferry-warm-start"));
    private final WorkerPool workers;
    private final CallLogs logs;
    private volatile boolean closed;

    public FunctionService(CallsDb db, CallRunner runner, int workers) {
        this.db = db;
        this.runner = runner;
        this.pool = Executors.newFixedThreadPool(workers, daemon("ferry-call"));
        this.workers = new WorkerPool(runner, starts, timer);
        this.logs = new CallLogs(db);
    }

    /** One accepted call being run: its spec, arguments and failures so far (in memory; a restart counts anew). */
    private static final class Task {
        final String id;
        final FunctionSpec spec;
        final List<byte[]> args;
        final Retries retries;
        int failures;
        int lost;

        Task(String id, FunctionSpec spec, List<byte[]> args) {
            this.id = id;
            this.spec = spec;
            this.args = args;
            this.retries = Retries.of(spec.getOptions());
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    /** Purges expired results and resumes the calls a previous server accepted and did not finish. */
    public void start() {
        int purged = db.purge(System.currentTimeMillis() - CallsDb.RETENTION_MS);
        if (purged > 0) {
            LOG.info("purged " + purged + " calls older than the 7-day retention");
        }
        timer.scheduleAtFixedRate(() -> db.purge(System.currentTimeMillis() - CallsDb.RETENTION_MS), 1, 1, TimeUnit.HOURS);
        for (CallsDb.Row r : db.unfinished()) {
            LOG.info("resuming " + r.id() + " (" + r.function() + "): accepted before the server stopped, attempts so far "
                    + r.attempts());
            pool.execute(() -> begin(r.id()));
        }
    }

    public long inFlight() {
        return db.inFlight();
    }

    void spawn(SpawnRequest req, StreamObserver<SpawnReply> out) {
        String id = submit(req.getFunction(), req.getArgsList(), req.getApp());
        out.onNext(SpawnReply.newBuilder().setCallId(id).build());
        out.onCompleted();
    }

    /**
     * Checks and records a call of {@code spec} on {@code args} (each encoded with the store codec), tagged with
     * {@code app} (empty: none), and starts it; returns its id once it is on disk. Schedules and web endpoints
     * call this; Spawn does too.
     *
     * @throws IllegalArgumentException when the spec or the argument count is wrong (the message says which)
     */
    public String submit(FunctionSpec spec, List<ByteString> args, String app) {
        if (spec.getName().isBlank() || spec.getMethodSource().isBlank()) {
            throw new IllegalArgumentException("a function needs its name and its method's source (FunctionSpec.name, method_source)");
        }
        check(spec);
        MethodSignature sig = CallRunner.signature(spec);
        if (sig.parameterTypes().size() != args.size()) {
            throw new IllegalArgumentException(spec.getName() + sig.describeParameters() + " takes " + sig.parameterTypes().size()
                    + " argument" + (sig.parameterTypes().size() == 1 ? "" : "s") + ", the call gave " + args.size());
        }
        long now = System.currentTimeMillis();
        String id = CallIds.next(now);
        db.insert(id, spec.getName(), spec.toByteArray(), Values.newBuilder().addAllValues(args).build().toByteArray(), now,
                app == null ? "" : app);
        pool.execute(() -> begin(id));
        return id;
    }

    /** Refuses what the server cannot run yet (another engine, an image), with the fix. */
    public static void check(FunctionSpec spec) {
        String engine = spec.getOptions().getEngine();
        if (!engine.isEmpty() && !engine.equals("process")) {
            throw new IllegalArgumentException("engine=" + engine + " is not supported by the server yet: only the process"
                    + " engine runs function calls today (leave engine= out)");
        }
        if (!spec.getOptions().getImage().isEmpty()) {
            throw new IllegalArgumentException("image= needs a container engine, and the server runs function calls only as"
                    + " local processes today: leave image= out");
        }
        Retries.of(spec.getOptions());
        WorkerPool.Settings.of(spec.getOptions());
    }

    /** The calls of {@code app} (of {@code function} when not empty), newest first. */
    public List<CallInfo> appCalls(String app, String function, int limit) {
        return db.listApp(app, function, limit > 0 ? limit : DEFAULT_LIST).stream().map(FunctionService::info).toList();
    }

    /** The newest call of {@code function} in {@code app}, or null. */
    public CallInfo latest(String app, String function) {
        List<CallsDb.Row> rows = db.listApp(app, function, 1);
        return rows.isEmpty() ? null : info(rows.get(0));
    }

    /** A call's outcome now (state, value, error). */
    public CallResult result(String id) {
        return result(row(id));
    }

    static CallInfo info(CallsDb.Row r) {
        CallInfo.Builder b = CallInfo.newBuilder().setCallId(r.id()).setFunctionName(r.function()).setState(r.state())
                .setCreatedAtMs(r.createdMs()).setFinishedAtMs(r.finishedMs()).setAttempts(r.attempts())
                .setApp(r.app() == null ? "" : r.app()).setStartedAtMs(r.startedMs());
        if (r.error() != null) {
            try {
                b.setError(RemoteError.parseFrom(r.error()));
            } catch (InvalidProtocolBufferException e) {
                b.setError(RemoteError.newBuilder().setType("ServerError").setMessage("unreadable error record"));
            }
        }
        return b.build();
    }

    /** The function name of call {@code id}, or null for an unknown id. */
    public String functionOf(String id) {
        CallsDb.Row r = CallIds.valid(id) ? db.get(id) : null;
        return r == null ? null : r.function();
    }

    /**
     * The call as it is once it finished, or as it is after {@code timeoutMs} (pending or running): the Get rpc
     * without a thread waiting.
     *
     * @throws java.util.NoSuchElementException for an unknown id
     */
    public CompletableFuture<CallResult> await(String id, long timeoutMs) {
        CompletableFuture<Void> finished = waiter(id);
        CallsDb.Row r = row(id);
        if (r.finished()) {
            return CompletableFuture.completedFuture(result(r));
        }
        return finished.copy().completeOnTimeout(null, timeoutMs, TimeUnit.MILLISECONDS).thenApply(v -> result(row(id)));
    }

    void get(GetRequest req, StreamObserver<CallResult> out) {
        String id = req.getCallId();
        CompletableFuture<Void> finished = waiter(id);
        CallsDb.Row row = row(id);
        if (row.finished() || req.getTimeoutMs() <= 0) {
            reply(out, withLogs(result(row)));
            return;
        }
        finished.copy().completeOnTimeout(null, req.getTimeoutMs(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> {
                    try {
                        reply(out, withLogs(result(row(id))));
                    } catch (RuntimeException ex) {
                        out.onError(dev.ferry.proto.Rpc.status(ex));
                    }
                });
    }

    void status(CallRef req, StreamObserver<CallResult> out) {
        reply(out, withLogs(result(row(req.getCallId()))));
    }

    void cancel(CallRef req, StreamObserver<CallResult> out) {
        String id = req.getCallId();
        row(id);
        if (db.finish(id, CallState.CALL_STATE_CANCELLED, null, RemoteError.newBuilder().setType("Cancelled")
                .setMessage("the call was cancelled").build().toByteArray(), System.currentTimeMillis())) {
            LOG.info("cancelled " + id);
            AtomicReference<Worker> w = running.get(id);
            if (w != null && w.get() != null) {
                w.get().kill();
            }
            ended(id);
        }
        reply(out, result(row(id)));
    }

    void list(ListCallsRequest req, StreamObserver<CallInfo> out) {
        for (CallsDb.Row r : db.list(req.getLimit() > 0 ? req.getLimit() : DEFAULT_LIST)) {
            out.onNext(info(r));
        }
        out.onCompleted();
    }

    void wait(WaitRequest req, StreamObserver<WaitReply> out) {
        if (req.getCallIdsCount() > MAX_WAIT_IDS) {
            throw new IllegalArgumentException("a Wait names at most " + MAX_WAIT_IDS + " calls, this one " + req.getCallIdsCount()
                    + ": wait for fewer at a time");
        }
        List<CompletableFuture<Void>> waits = new java.util.ArrayList<>();
        for (String id : req.getCallIdsList()) {
            if (!CallIds.valid(id)) {
                row(id); // says why
            }
            waits.add(waiter(id));
        }
        WaitReply now = finished(req.getCallIdsList());
        if (now.getFinishedCount() > 0 || req.getTimeoutMs() <= 0 || req.getCallIdsCount() == 0) {
            reply(out, now);
            return;
        }
        // once one has finished, linger a moment so that one answer carries the others finishing with it (a map's
        // rounds stay few)
        CompletableFuture.anyOf(waits.toArray(CompletableFuture[]::new))
                .thenApplyAsync(v -> (Void) null, CompletableFuture.delayedExecutor(WAIT_LINGER_MS, TimeUnit.MILLISECONDS))
                .completeOnTimeout(null, req.getTimeoutMs(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> {
                    try {
                        reply(out, finished(req.getCallIdsList()));
                    } catch (RuntimeException ex) {
                        out.onError(dev.ferry.proto.Rpc.status(ex));
                    }
                });
    }

    private WaitReply finished(List<String> ids) {
        WaitReply.Builder b = WaitReply.newBuilder();
        for (CallsDb.Row r : db.finishedAmong(ids)) {
            b.addFinished(withLogs(result(r)));
        }
        return b.build();
    }

    private CallResult withLogs(CallResult r) {
        int n = logs.count(r.getCallId());
        return n == 0 ? r : r.toBuilder().setLogChunks(n).build();
    }

    void logs(LogsRequest req, StreamObserver<LogsReply> out) {
        CallsDb.Row r = row(req.getCallId());
        reply(out, logs.read(r.id(), Math.max(0, req.getFrom()), r.finished()));
    }

    void warm(FunctionSpec spec, StreamObserver<WarmReply> out) {
        if (spec.getName().isBlank() || spec.getMethodSource().isBlank()) {
            throw new IllegalArgumentException("a function needs its name and its method's source (FunctionSpec.name, method_source)");
        }
        WorkerPool.Settings.of(spec.getOptions());
        starts.execute(() -> {
            try {
                reply(out, WarmReply.newBuilder().setWorkers(workers.warm(spec, WARM_WAIT_MS)).build());
            } catch (InterruptedException e) {
                out.onError(io.grpc.Status.UNAVAILABLE.withDescription("the server is stopping").asRuntimeException());
            } catch (RuntimeException e) {
                out.onError(dev.ferry.proto.Rpc.status(e));
            }
        });
    }

    /** Loads an accepted call and runs its first attempt. */
    private void begin(String id) {
        try {
            CallsDb.Row row = db.get(id);
            if (row == null || row.finished()) {
                ended(id);
                return;
            }
            FunctionSpec spec = FunctionSpec.parseFrom(row.spec());
            List<byte[]> args = Values.parseFrom(row.args()).getValuesList().stream().map(ByteString::toByteArray).toList();
            attempt(new Task(id, spec, args));
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            serverError(id, e);
        }
    }

    /** One attempt: a slot of the function's pool (or a place in its line), the run, then the outcome or a retry. */
    private void attempt(Task t) {
        if (closed) {
            return; // the server stops: the call stays accepted and resumes at the next start
        }
        WorkerPool.Lease lease = null;
        CallRunner.Warm warm = null;
        boolean reusable = false;
        try {
            lease = workers.acquire(t.spec, () -> pool.execute(() -> attempt(t)));
            if (lease == null) {
                return; // at max_containers: run again when a slot frees
            }
            int attempt = db.start(t.id);
            if (attempt < 0) {
                reusable = true; // cancelled before it ran: the warm worker is untouched
                warm = lease.warm();
                ended(t.id);
                return;
            }
            AtomicReference<Worker> worker = running.computeIfAbsent(t.id, k -> new AtomicReference<>());
            CallRunner.Outcome o;
            warm = lease.warm();
            if (warm == null) {
                CallRunner.Started s = runner.start(t.id, t.spec);
                warm = s.warm();
                o = s.failure();
            } else {
                o = null;
            }
            if (o == null) {
                worker.set(warm.worker());
                if (db.get(t.id).finished()) { // cancelled while the worker started
                    reusable = true;
                    ended(t.id);
                    return;
                }
                o = runner.call(warm, t.id, t.spec, t.args, logs.sink(t.id, attempt));
                worker.set(null);
            }
            if (closed) {
                return;
            }
            reusable = !o.infrastructure() && o.state() != CallState.CALL_STATE_TIMED_OUT && !db.get(t.id).finished();
            boolean retry = o.state() != CallState.CALL_STATE_SUCCEEDED
                    && (o.infrastructure() ? ++t.lost <= INFRA_RETRIES : ++t.failures <= t.retries.maxRetries());
            if (!retry) {
                logs.flush(t.id, true);
                if (db.finish(t.id, o.state(), o.value(), o.error() == null ? null : o.error().toByteArray(), System.currentTimeMillis())) {
                    LOG.info(t.id + " " + o.state() + " after " + attempt + " attempt" + (attempt == 1 ? "" : "s")
                            + (o.error() == null ? "" : ": " + o.error().getType() + ": " + o.error().getMessage()));
                }
                running.remove(t.id);
                ended(t.id);
                return;
            }
            logs.flush(t.id, false);
            long delay = o.infrastructure() ? 0 : t.retries.delayMs(t.failures);
            LOG.info(t.id + " attempt " + attempt + " " + o.state() + " (" + o.error().getType() + ": " + o.error().getMessage()
                    + "); retrying" + (o.infrastructure() ? " at once (a lost worker: not counted against retries)"
                    : " in " + delay + " ms (retry " + t.failures + " of " + t.retries.maxRetries() + ")"));
            timer.schedule(() -> pool.execute(() -> attempt(t)), delay, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            serverError(t.id, e);
        } finally {
            if (lease != null) {
                workers.release(lease, warm, reusable);
            } else if (warm != null) {
                warm.close();
            }
        }
    }

    private void serverError(String id, Exception e) {
        LOG.log(Level.SEVERE, id + " could not run", e);
        try {
            logs.flush(id, true);
            db.finish(id, CallState.CALL_STATE_FAILED, null, RemoteError.newBuilder().setType("ServerError")
                    .setMessage("the server could not run the call: " + e).build().toByteArray(), System.currentTimeMillis());
        } finally {
            running.remove(id);
            ended(id);
        }
    }

    private CompletableFuture<Void> waiter(String id) {
        return done.computeIfAbsent(id, k -> new CompletableFuture<>());
    }

    private void ended(String id) {
        running.remove(id);
        CompletableFuture<Void> f = done.remove(id);
        if (f != null) {
            f.complete(null);
        }
    }

    private CallsDb.Row row(String id) {
        if (!CallIds.valid(id)) {
            throw new IllegalArgumentException("'" + id + "' is not a function call id (they look like fc-01jd2k...; 26 characters after fc-)");
        }
        CallsDb.Row r = db.get(id);
        if (r == null) {
            done.remove(id);
            throw new NoSuchElementException("no function call " + id + " on this server: an unknown id, or its result expired"
                    + " (results are kept 7 days)");
        }
        return r;
    }

    static CallResult result(CallsDb.Row r) {
        CallResult.Builder b = CallResult.newBuilder().setCallId(r.id()).setState(r.state()).setAttempts(r.attempts());
        if (r.result() != null) {
            b.setValue(ByteString.copyFrom(r.result()));
        }
        if (r.error() != null) {
            try {
                b.setError(RemoteError.parseFrom(r.error()));
            } catch (InvalidProtocolBufferException e) {
                b.setError(RemoteError.newBuilder().setType("ServerError").setMessage("unreadable error record: " + e.getMessage()));
            }
        }
        return b.build();
    }

    private static <T> void reply(StreamObserver<T> out, T v) {
        out.onNext(v);
        out.onCompleted();
    }

    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        timer.shutdownNow();
        starts.shutdownNow();
        workers.close();
        running.values().forEach(w -> {
            Worker worker = w.get();
            if (worker != null) {
                worker.kill();
            }
        });
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        db.close();
    }
}

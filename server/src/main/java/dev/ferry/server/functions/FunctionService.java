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
 * The Functions service of ferry.proto. Spawn records the call in calls.sqlite before it answers; calls run on
 * a pool of {@code FERRY_SERVER_WORKERS} (default 4) threads, each attempt in a fresh worker JVM; retries are
 * done here (a fixed 1 s between attempts, as Modal's {@code retries=N}); a lost worker is retried without
 * counting against them (at most {@value #INFRA_RETRIES} times). At start, calls that were accepted and not
 * finished (the server stopped or was killed) run again; each call ends once.
 */
public final class FunctionService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");
    static final int INFRA_RETRIES = 2;
    static final long RETRY_DELAY_MS = 1000;
    private static final int DEFAULT_LIST = 100;

    private final CallsDb db;
    private final CallRunner runner;
    private final ExecutorService pool;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(daemon("ferry-calls-timer"));
    private final Map<String, CompletableFuture<Void>> done = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Worker>> running = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public FunctionService(CallsDb db, CallRunner runner, int workers) {
        this.db = db;
        this.runner = runner;
        this.pool = Executors.newFixedThreadPool(workers, daemon("ferry-call"));
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
            pool.execute(() -> execute(r.id()));
        }
    }

    public long inFlight() {
        return db.inFlight();
    }

    void spawn(SpawnRequest req, StreamObserver<SpawnReply> out) {
        String id = submit(req.getFunction(), req.getArgsList().stream().map(ByteString::toByteArray).toList());
        out.onNext(SpawnReply.newBuilder().setCallId(id).build());
        out.onCompleted();
    }

    /**
     * Records a call of {@code spec} on {@code args} (each encoded with the store's codec) and queues it, as Spawn
     * does: for callers inside the server (web endpoints). Returns its id.
     *
     * @throws IllegalArgumentException for a spec the server cannot run or the wrong number of arguments
     */
    public String submit(FunctionSpec spec, List<byte[]> args) {
        if (spec.getName().isBlank() || spec.getMethodSource().isBlank()) {
            throw new IllegalArgumentException("a function needs its name and its method's source (FunctionSpec.name, method_source)");
        }
        String engine = spec.getOptions().getEngine();
        if (!engine.isEmpty() && !engine.equals("process")) {
            throw new IllegalArgumentException("engine=" + engine + " is not supported by the server yet: only the process"
                    + " engine runs function calls today (leave engine= out)");
        }
        if (!spec.getOptions().getImage().isEmpty()) {
            throw new IllegalArgumentException("image= needs a container engine, and the server runs function calls only as"
                    + " local processes today: leave image= out");
        }
        MethodSignature sig = CallRunner.signature(spec);
        if (sig.parameterTypes().size() != args.size()) {
            throw new IllegalArgumentException(spec.getName() + sig.describeParameters() + " takes " + sig.parameterTypes().size()
                    + " argument" + (sig.parameterTypes().size() == 1 ? "" : "s") + ", the call gave " + args.size());
        }
        long now = System.currentTimeMillis();
        String id = CallIds.next(now);
        Values.Builder values = Values.newBuilder();
        args.forEach(a -> values.addValues(ByteString.copyFrom(a)));
        db.insert(id, spec.getName(), spec.toByteArray(), values.build().toByteArray(), now);
        pool.execute(() -> execute(id));
        return id;
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
            reply(out, result(row));
            return;
        }
        finished.copy().completeOnTimeout(null, req.getTimeoutMs(), TimeUnit.MILLISECONDS)
                .whenComplete((v, e) -> {
                    try {
                        reply(out, result(row(id)));
                    } catch (RuntimeException ex) {
                        out.onError(dev.ferry.proto.Rpc.status(ex));
                    }
                });
    }

    void status(CallRef req, StreamObserver<CallResult> out) {
        reply(out, result(row(req.getCallId())));
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
            out.onNext(CallInfo.newBuilder().setCallId(r.id()).setFunctionName(r.function()).setState(r.state())
                    .setCreatedAtMs(r.createdMs()).setFinishedAtMs(r.finishedMs()).setAttempts(r.attempts()).build());
        }
        out.onCompleted();
    }

    private void execute(String id) {
        AtomicReference<Worker> worker = running.computeIfAbsent(id, k -> new AtomicReference<>());
        try {
            CallsDb.Row row = db.get(id);
            if (row == null || row.finished()) {
                return;
            }
            FunctionSpec spec = FunctionSpec.parseFrom(row.spec());
            List<byte[]> args = Values.parseFrom(row.args()).getValuesList().stream().map(ByteString::toByteArray).toList();
            int failures = 0;
            int lost = 0;
            while (!closed) {
                int attempt = db.start(id);
                if (attempt < 0) {
                    return; // cancelled
                }
                CallRunner.Outcome o = runner.run(id, spec, args, worker);
                if (closed) {
                    return; // the server stops: the call stays accepted and resumes at the next start
                }
                boolean retry = o.state() != CallState.CALL_STATE_SUCCEEDED
                        && (o.infrastructure() ? ++lost <= INFRA_RETRIES : ++failures <= spec.getOptions().getRetries());
                if (!retry) {
                    if (db.finish(id, o.state(), o.value(), o.error() == null ? null : o.error().toByteArray(), System.currentTimeMillis())) {
                        LOG.info(id + " " + o.state() + " after " + attempt + " attempt" + (attempt == 1 ? "" : "s")
                                + (o.error() == null ? "" : ": " + o.error().getType() + ": " + o.error().getMessage()));
                    }
                    return;
                }
                LOG.info(id + " attempt " + attempt + " " + o.state() + " (" + o.error().getType() + ": " + o.error().getMessage()
                        + "); retrying" + (o.infrastructure() ? " (a lost worker: not counted against retries)" : ""));
                Thread.sleep(RETRY_DELAY_MS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (InvalidProtocolBufferException | RuntimeException e) {
            LOG.log(Level.SEVERE, id + " could not run", e);
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

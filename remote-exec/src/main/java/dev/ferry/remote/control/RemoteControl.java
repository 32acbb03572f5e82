package dev.ferry.remote.control;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.ferry.Image;
import dev.ferry.gpu.GpuSpec;
import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.remote.engine.Engine;
import dev.ferry.remote.engine.EngineException;
import dev.ferry.remote.engine.Placement;
import dev.ferry.remote.engine.PlacementSpec;
import dev.ferry.remote.engine.WorkerLaunch;
import dev.ferry.remote.worker.ErrorReport;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The control plane of {@code %%remote}, embedded in the kernel: picks the engine, builds the image,
 * starts workers in containers (or processes), runs cells in them and streams what they report into the
 * calling cell, keeps named sessions, and removes every container it started. Reached through the
 * notebook worker's {@code call} frames (targets {@code remote.run}, {@code remote.stop},
 * {@code remote.ls}, {@code remote.config}).
 */
public final class RemoteControl implements AutoCloseable {
    private static final long READY_TIMEOUT_S = 120;

    private final EngineRegistry engines;
    private final WorkerLaunch workerLaunch; // every remote worker's JVM: options and the worker's class path
    private final int jdkMajor; // a container's JDK must match the kernel's
    private final Path dataDir; // the store's directory, for local worker processes (or null)
    private final Map<String, String> kernelLabels;
    private final Consumer<WorkerEvent> orphans;
    private final Worker.CallHandler workerCalls;
    private final Map<String, RemoteSession> sessions = new ConcurrentHashMap<>();
    private final Set<RemoteRun> active = ConcurrentHashMap.newKeySet();
    private final Set<RemoteSession> oneShots = ConcurrentHashMap.newKeySet();
    /** Why each named session that is gone ended, for the notice when a cell starts that name again. */
    private final Map<String, String> ended = new ConcurrentHashMap<>();
    /** Containers of finished one-shot cells that are being removed: not listed by {@code %remote ls}. */
    private final Set<String> finishing = ConcurrentHashMap.newKeySet();
    private final Set<Thread> closing = ConcurrentHashMap.newKeySet();
    private boolean closed;

    /**
     * @param engineMakers engines by name ({@code process}, {@code docker}), made on first use
     * @param envDefault   the engine the environment names (FERRY_ENGINE), or null
     * @param workerLaunch the JVM of every remote worker (options, the worker's class path on this host)
     * @param jdkMajor     the kernel's JDK major, which a container's JDK must match
     * @param dataDir      the store's directory, which local worker processes open themselves (or null)
     * @param kernelLabels labels identifying this kernel on every container
     * @param orphans      where output of a remote worker goes when no cell waits for it
     * @param workerCalls  answers the remote workers' own calls into the kernel
     */
    public RemoteControl(Map<String, Supplier<Engine>> engineMakers, String envDefault, WorkerLaunch workerLaunch,
                         int jdkMajor, Path dataDir, Map<String, String> kernelLabels, Consumer<WorkerEvent> orphans,
                         Worker.CallHandler workerCalls) {
        this.engines = new EngineRegistry(engineMakers, envDefault);
        this.workerLaunch = workerLaunch;
        this.jdkMajor = jdkMajor;
        this.dataDir = dataDir;
        this.kernelLabels = Map.copyOf(kernelLabels);
        this.orphans = orphans;
        this.workerCalls = workerCalls;
    }

    /** Answers a worker call whose target starts with {@code remote.}. */
    public JsonElement call(String target, JsonObject args, byte[] body, Worker.CallContext ctx) throws Exception {
        return switch (target) {
            case "remote.run" -> {
                try {
                    yield run(RemoteRequest.fromJson(args), body, ctx);
                } catch (EngineException e) { // shown as the cell's error, without a Java stack
                    yield ErrorReport.simple("RemoteError", e.getMessage());
                }
            }
            case "remote.stop" -> new JsonPrimitive(stop(args.get("name").getAsString()));
            case "remote.ls" -> new JsonPrimitive(list());
            case "remote.config" -> new JsonPrimitive(engines.config(args));
            default -> throw new IllegalArgumentException("unknown call target '" + target + "'");
        };
    }

    // ---------------------------------------------------------------------------------- engines

    // ---------------------------------------------------------------------------------- running

    private JsonElement run(RemoteRequest req, byte[] body, Worker.CallContext ctx) throws Exception {
        Consumer<String> notice = text -> ctx.emit(new WorkerEvent.Stream("stderr", text));
        RemoteSession session = req.session() == null ? null : sessions.get(req.session());
        if (session != null && !session.worker.isAlive()) {
            sessions.remove(req.session());
            session.worker.kill(); // removes its (exited) container
            var death = session.worker.death().getNow(null);
            ended.put(req.session(), death == null ? "its worker stopped"
                    : RemoteRun.explain(death, session.memoryMiB, session.engine.isolated()));
            session = null;
        }
        boolean fresh = session == null;
        if (fresh) {
            session = start(req, ctx, notice);
            if (req.session() != null) {
                sessions.put(req.session(), session);
                String why = ended.remove(req.session());
                if (why != null) {
                    notice.accept("started a new session '" + req.session() + "' (the previous one ended: " + why
                            + "); its variables and definitions are gone\n");
                }
            } else {
                oneShots.add(session);
            }
        } else if (req.image() != null || req.gpu() != null) {
            notice.accept("session '" + req.session() + "' keeps its container (" + session.image
                    + "); image= and gpu= apply when it starts: `%remote stop " + req.session() + "` to change them\n");
        }
        RemoteRun run = new RemoteRun(session, req, ctx);
        active.add(run);
        try {
            synchronized (session) { // one cell at a time per session, even if an interrupted one is still ending
                return run.execute(body);
            }
        } finally {
            active.remove(run);
            session.cells++;
            if (req.session() == null) {
                oneShots.remove(session);
                RemoteSession done = session;
                finishing.add(done.worker.id());
                Thread t = async(() -> { // the reply need not wait for the container's removal
                    try {
                        done.worker.close();
                    } finally {
                        finishing.remove(done.worker.id());
                    }
                });
                closing.add(t);
                closing.removeIf(th -> !th.isAlive());
            }
        }
    }

    private RemoteSession start(RemoteRequest req, Worker.CallContext ctx, Consumer<String> notice) throws Exception {
        Engine engine = engines.choose(req.engine(), notice);
        GpuSpec gpu = req.gpu() == null ? null : GpuSpec.parse(req.gpu());
        Image image = req.image() == null ? null : Image.fromJson(req.image());
        String ref;
        if (!engine.isolated()) {
            ref = engine.prepare(image, line -> { });
        } else {
            BuildLog log = new BuildLog(ctx::emit);
            boolean built = false;
            try {
                ref = engine.prepare(image == null ? Image.debianSlim(jdkMajor, false) : image, log);
                built = true;
            } finally {
                log.done(built);
            }
        }
        Map<String, String> labels = new HashMap<>(kernelLabels);
        if (req.session() != null) {
            labels.put(Janitor.SESSION_LABEL, req.session());
        }
        labels.put("dev.ferry.cell", Integer.toString(req.cell()));
        List<String> opts = new ArrayList<>(workerLaunch.jvmOptions());
        List<PlacementSpec.Mount> mounts = new ArrayList<>();
        for (String v : req.volumes()) { // "HOSTDIR=TARGET" resolved by the notebook's worker
            int eq = v.indexOf('=');
            mounts.add(new PlacementSpec.Mount(Path.of(v.substring(0, eq)), v.substring(eq + 1), false));
        }
        if (req.memoryMiB() != null) {
            opts.removeIf(o -> o.startsWith("-Xmx")); // memory= sizes the heap
            opts.add(engine.isolated() ? "-XX:MaxRAMPercentage=75" : "-Xmx" + (req.memoryMiB() * 3 / 4) + "m");
        }
        if (engine.isolated()) {
            // Dict and Queue in a container reach the kernel's store over the worker protocol (no network, no file)
            opts.add("-D" + dev.ferry.remote.worker.WorkerMain.STORE_PROPERTY + "=" + dev.ferry.remote.worker.WorkerMain.STORE_KERNEL);
        } else if (dataDir != null) { // a local process opens the store file itself, like the notebook's worker
            opts.add("-D" + dev.ferry.storage.FerryDirs.DATA_DIR_PROPERTY + "=" + dataDir);
        }
        PlacementSpec spec = new PlacementSpec(ref, workerLaunch.withJvmOptions(opts).withEnv(req.env()), labels,
                req.cpus(), req.memoryMiB(), req.network(), gpu, mounts);
        Placement placement = engine.start(spec);
        Worker worker = Worker.attach(placement, orphans, workerCalls);
        try {
            JsonObject hello = worker.ready().get(READY_TIMEOUT_S, TimeUnit.SECONDS);
            placement.started(); // e.g. the CPU limit, held back while the JVM started
            checkJdk(hello, ref);
            if (gpu != null) {
                new GpuCheck(worker).require(gpu);
            }
        } catch (Exception e) {
            worker.kill();
            Throwable cause = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
            if (cause instanceof java.util.concurrent.TimeoutException) {
                throw new EngineException("the worker in " + engine.name() + " " + placement.id()
                        + " did not start within " + READY_TIMEOUT_S + " s");
            }
            if (cause instanceof java.io.IOException io) {
                var death = worker.death().getNow(null);
                throw new EngineException("the worker in " + engine.name() + " " + placement.id()
                        + " could not start: " + (death == null ? io.getMessage()
                        : RemoteRun.explain(death, req.memoryMiB(), engine.isolated())));
            }
            throw e;
        }
        return new RemoteSession(req.session(), engine, ref, worker, req.memoryMiB());
    }

    private void checkJdk(JsonObject hello, String image) throws EngineException {
        String v = hello.has("java") ? hello.get("java").getAsString() : "?";
        int major;
        try {
            major = Runtime.Version.parse(v).feature();
        } catch (IllegalArgumentException e) {
            return;
        }
        if (major != jdkMajor) {
            throw new EngineException("the image " + image + " runs JDK " + major + " but the kernel runs JDK "
                    + jdkMajor + ": use Image.debianSlim() (its JDK matches the kernel) or an image"
                    + " with JDK " + jdkMajor);
        }
    }

    /** Stops the running remote cells (kernel interrupt): each gets 2 s to stop, then its container goes. */
    public void interrupt() {
        for (RemoteRun r : active) {
            r.interrupt();
        }
    }

    private String stop(String name) {
        RemoteSession s = sessions.remove(name);
        if (s == null) {
            return "no session named '" + name + "'" + (sessions.isEmpty() ? "" : "; sessions: "
                    + String.join(", ", new java.util.TreeSet<>(sessions.keySet())));
        }
        s.worker.close();
        ended.put(name, "stopped with `%remote stop " + name + "`");
        return "stopped session '" + name + "' (" + s.engine.name() + " " + s.worker.id() + ")";
    }

    private String list() {
        StringBuilder b = new StringBuilder();
        if (sessions.isEmpty()) {
            b.append("no remote sessions\n");
        }
        for (var e : new java.util.TreeMap<>(sessions).entrySet()) {
            RemoteSession s = e.getValue();
            b.append(String.format("%-12s %-8s %-14s %-40s %3d cells  %s%n", e.getKey(), s.engine.name(), s.worker.id(),
                    s.image, s.cells, s.worker.isAlive() ? "running" : "ended"));
        }
        Engine docker = engines.started("docker");
        if (docker != null && docker.available()) {
            try {
                List<Engine.PlacementInfo> mine = new ArrayList<>(docker.list(Map.of(Janitor.KERNEL_LABEL,
                        kernelLabels.get(Janitor.KERNEL_LABEL))));
                mine.removeIf(p -> finishing.contains(p.id())); // a finished cell's, being removed
                b.append("containers of this kernel: ").append(mine.size()).append('\n');
                for (Engine.PlacementInfo p : mine) {
                    b.append("  ").append(p.id()).append("  ").append(p.image()).append("  ").append(p.state())
                            .append(p.labels().containsKey(Janitor.SESSION_LABEL) ? "  session " + p.labels().get(Janitor.SESSION_LABEL) : "")
                            .append('\n');
                }
            } catch (EngineException e) {
                b.append("(cannot list containers: ").append(e.getMessage()).append(")\n");
            }
        }
        return b.toString();
    }

    /**
     * Removes containers left by kernels of this host that are gone (by their labels: pid and start time).
     * Returns how many went.
     */
    public int removeLeftovers() {
        return Janitor.removeLeftovers(engines, kernelLabels);
    }

    /** The engines, by name (for tests). */
    EngineRegistry engines() {
        return engines;
    }

    private static Thread async(Runnable r) {
        Thread t = new Thread(r, "ferry-remote-close");
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Removes every worker this kernel started (kernel shutdown). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<Thread> closing = new ArrayList<>(this.closing);
        List<RemoteSession> all = new ArrayList<>(sessions.values());
        all.addAll(oneShots);
        sessions.clear();
        for (RemoteSession s : all) {
            closing.add(async(s.worker::kill));
        }
        for (Thread t : closing) {
            try {
                t.join(3000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        engines.close();
    }
}

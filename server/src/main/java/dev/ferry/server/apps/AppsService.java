package dev.ferry.server.apps;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.ferry.proto.v1.AppCallsRequest;
import dev.ferry.proto.v1.AppFunction;
import dev.ferry.proto.v1.AppFunctionInfo;
import dev.ferry.proto.v1.AppInfo;
import dev.ferry.proto.v1.AppRef;
import dev.ferry.proto.v1.AppSpec;
import dev.ferry.proto.v1.AppState;
import dev.ferry.proto.v1.AppWebInfo;
import dev.ferry.proto.v1.CallInfo;
import dev.ferry.proto.v1.DeployRequest;
import dev.ferry.proto.v1.FunctionRef;
import dev.ferry.proto.v1.FunctionSpec;
import dev.ferry.proto.v1.ListAppsRequest;
import dev.ferry.proto.v1.SpawnReply;
import dev.ferry.proto.v1.WebApp;
import dev.ferry.remote.worker.MethodSignature;
import dev.ferry.server.functions.FunctionService;
import io.grpc.stub.StreamObserver;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The Apps service of ferry.proto, and the registry of apps: named groups of functions, schedules and web
 * endpoints kept in {@code apps.sqlite}, so a deployed app is back after a restart (or a {@code kill -9}).
 * A redeploy by name keeps the app's id and raises its version; calls already accepted keep the spec they
 * were accepted with and run. An ephemeral app ({@code %serve}, {@code ferry serve}, {@code ferry run}) is
 * stopped when the process of its owner pid is gone (checked every 2 s, and at start).
 */
public final class AppsService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,62}");
    private final AppsDb db;
    private final FunctionService functions;
    private final AppScheduler scheduler;
    private final List<AppListener> listeners = new CopyOnWriteArrayList<>();

    private AppsService(AppsDb db, FunctionService functions) {
        this.db = db;
        this.functions = functions;
        this.scheduler = new AppScheduler(functions);
    }

    public static AppsService open(Path appsDb, FunctionService functions) throws IOException {
        return new AppsService(AppsDb.open(appsDb), functions);
    }

    /** Arms the schedules of the live apps and starts watching ephemeral apps' owners. */
    public void start() {
        for (AppsDb.Row r : db.all()) {
            if (r.live()) {
                scheduler.arm(spec(r), r.deployedMs());
                LOG.info("app " + r.name() + " (" + r.id() + ", version " + r.version() + ") is back");
            }
        }
        scheduler.timer().scheduleWithFixedDelay(this::stopOrphans, 0, 2, TimeUnit.SECONDS);
    }

    /** Adds a listener, first telling it of every live app. */
    public void addListener(AppListener l) {
        for (AppsDb.Row r : db.all()) {
            if (r.live()) {
                notify(l, spec(r), info(r));
            }
        }
        listeners.add(l);
    }

    // ------------------------------------------------------------------ rpcs

    void deploy(DeployRequest req, StreamObserver<AppInfo> out) {
        reply(out, deploy(req));
    }

    /** Deploys (or redeploys) the app; returns what the server has now. */
    public synchronized AppInfo deploy(DeployRequest req) {
        AppSpec app = req.getApp();
        check(app);
        AppsDb.Row old = db.get(app.getName());
        if (old != null && old.live() && !req.getReplace() && isFile(old.source()) && isFile(app.getSource())
                && !old.source().equals(app.getSource())) {
            throw new IllegalStateException("an app named '" + app.getName() + "' is already deployed from " + old.source()
                    + " (version " + old.version() + "): deploy this one under another name (--name NAME), stop that one"
                    + " first (ferry app stop " + app.getName() + "), or replace it (--replace)");
        }
        if (old != null && old.state() == AppState.APP_STATE_DEPLOYED && req.getEphemeral() && !req.getReplace()) {
            throw new IllegalStateException("app '" + app.getName() + "' is deployed (version " + old.version() + "); serving"
                    + " or running it would replace it, and stop it when done: use another name (ferry serve|run FILE --name "
                    + app.getName() + "-dev, or %serve " + app.getName() + "-dev), or stop it first (ferry app stop "
                    + app.getName() + ")");
        }
        for (AppListener l : listeners) {
            l.check(app); // the web gateway refuses routes it cannot serve, before anything is recorded
        }
        long now = System.currentTimeMillis();
        AppState state = req.getEphemeral() ? AppState.APP_STATE_EPHEMERAL : AppState.APP_STATE_DEPLOYED;
        AppsDb.Row row = new AppsDb.Row(app.getName(), old != null ? old.id() : newId(), state,
                old != null ? old.version() + 1 : 1, now, app.getSource(), app.toByteArray(),
                req.getEphemeral() ? req.getOwnerPid() : 0, 0);
        db.put(row);
        scheduler.arm(app, now);
        AppInfo info = info(row);
        LOG.info((old == null ? "deployed" : "redeployed") + " app " + app.getName() + " (" + row.id() + ", version "
                + row.version() + (req.getEphemeral() ? ", ephemeral, owner pid " + req.getOwnerPid() : "") + "): "
                + app.getFunctionsCount() + " function" + (app.getFunctionsCount() == 1 ? "" : "s")
                + (app.getSource().isEmpty() ? "" : " from " + app.getSource()));
        listeners.forEach(l -> notify(l, app, info));
        return info;
    }

    void list(ListAppsRequest req, StreamObserver<AppInfo> out) {
        for (AppsDb.Row r : db.all()) {
            if (req.getAll() || r.live()) {
                out.onNext(info(r));
            }
        }
        out.onCompleted();
    }

    void describe(AppRef req, StreamObserver<AppInfo> out) {
        reply(out, info(row(req.getName())));
    }

    void stop(AppRef req, StreamObserver<AppInfo> out) {
        reply(out, stop(req.getName(), "stopped"));
    }

    /** Stops the app: its schedules stop firing, Lookup no longer finds it; accepted calls still run. */
    public synchronized AppInfo stop(String name, String why) {
        AppsDb.Row r = row(name);
        if (db.stop(name, System.currentTimeMillis())) {
            scheduler.disarm(name);
            LOG.info("app " + name + " (" + r.id() + ") " + why);
            for (AppListener l : listeners) {
                try {
                    l.stopped(name);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "an app listener failed on the stop of " + name, e);
                }
            }
        }
        return info(row(name));
    }

    void lookup(FunctionRef req, StreamObserver<FunctionSpec> out) {
        reply(out, lookup(req.getApp(), req.getFunction()).getFunction());
    }

    /** A live app's function, or NOT_FOUND saying what there is. */
    public AppFunction lookup(String app, String function) {
        AppsDb.Row r = row(app);
        if (!r.live()) {
            throw new NoSuchElementException("app '" + app + "' is stopped: deploy it again (ferry deploy FILE, or %deploy "
                    + app + " in a notebook)");
        }
        List<String> names = new ArrayList<>();
        for (AppFunction f : spec(r).getFunctionsList()) {
            if (f.getFunction().getName().equals(function)) {
                return f;
            }
            names.add(f.getFunction().getName());
        }
        throw new NoSuchElementException("app '" + app + "' has no function '" + function + "'; its functions: "
                + (names.isEmpty() ? "none" : String.join(", ", names)));
    }

    void runSchedule(FunctionRef req, StreamObserver<SpawnReply> out) {
        AppFunction f = lookup(req.getApp(), req.getFunction());
        String id = functions.submit(f.getFunction(), List.of(), req.getApp());
        LOG.info("run now of " + req.getApp() + "/" + req.getFunction() + ": " + id);
        reply(out, SpawnReply.newBuilder().setCallId(id).build());
    }

    void calls(AppCallsRequest req, StreamObserver<CallInfo> out) {
        row(req.getApp());
        functions.appCalls(req.getApp(), req.getFunction(), req.getLimit()).forEach(out::onNext);
        out.onCompleted();
    }

    // ------------------------------------------------------------------ helpers

    private static void check(AppSpec app) {
        if (!NAME.matcher(app.getName()).matches()) {
            throw new IllegalArgumentException("'" + app.getName() + "' is not an app name: use letters, digits, '-' and '_'"
                    + " (at most 63, starting with a letter or digit), e.g. job-queue; it becomes part of URLs");
        }
        if (app.getFunctionsCount() == 0 && app.getWebAppsCount() == 0) {
            throw new IllegalArgumentException("app '" + app.getName() + "' has no functions: declare them with %%function"
                    + " (in the notebook, or in the app file) before deploying");
        }
        Set<String> seen = new HashSet<>();
        for (AppFunction f : app.getFunctionsList()) {
            FunctionSpec s = f.getFunction();
            if (!seen.add(s.getName())) {
                throw new IllegalArgumentException("app '" + app.getName() + "' has two functions named " + s.getName());
            }
            FunctionService.check(s);
            MethodSignature sig = MethodSignature.parse(s.getMethodSource(), s.getName());
            if (f.hasSchedule() && f.getSchedule().getKindCase() != dev.ferry.proto.v1.Schedule.KindCase.KIND_NOT_SET) {
                try {
                    CronRules.check(f.getSchedule());
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(s.getName() + ": " + e.getMessage());
                }
                int n = s.getParameterTypesCount() > 0 ? s.getParameterTypesCount() : sig.parameterTypes().size();
                if (n != 0) {
                    throw new IllegalArgumentException(s.getName() + sig.describeParameters() + " has a schedule, and the"
                            + " server calls a scheduled function with no arguments: give it none (read what it needs from"
                            + " a Dict, a Volume or its environment)");
                }
            }
        }
        for (WebApp w : app.getWebAppsList()) {
            if (!seen.add("web:" + w.getName())) {
                throw new IllegalArgumentException("app '" + app.getName() + "' has two %%web apps named " + w.getName());
            }
        }
    }

    private static boolean isFile(String source) {
        return !source.isEmpty() && !source.startsWith("notebook");
    }

    private static String newId() {
        return "ap-" + dev.ferry.server.functions.CallIds.next(System.currentTimeMillis()).substring(3);
    }

    private AppsDb.Row row(String name) {
        AppsDb.Row r = db.get(name);
        if (r == null) {
            throw new NoSuchElementException("no app '" + name + "' on this server (ferry app list shows the apps; deploy"
                    + " one with ferry deploy FILE or %deploy NAME)");
        }
        return r;
    }

    private static AppSpec spec(AppsDb.Row r) {
        try {
            return AppSpec.parseFrom(r.spec());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("the stored app " + r.name() + " is unreadable: " + e.getMessage(), e);
        }
    }

    AppInfo info(AppsDb.Row r) {
        AppSpec app = spec(r);
        AppInfo.Builder b = AppInfo.newBuilder().setName(r.name()).setAppId(r.id()).setState(r.state())
                .setDeployedAtMs(r.deployedMs()).setVersion(r.version()).setSource(r.source());
        for (AppFunction f : app.getFunctionsList()) {
            AppFunctionInfo.Builder fi = AppFunctionInfo.newBuilder().setName(f.getFunction().getName())
                    .setSchedule(ScheduleText.describe(f.getSchedule()));
            if (r.live()) {
                CronRules.next(f.getSchedule(), Instant.now(), r.deployedMs()).ifPresent(t -> fi.setNextRunMs(t.toEpochMilli()));
                if (f.hasWeb()) {
                    fi.setUrl(firstUrl(l -> l.url(r.name(), f)));
                }
            }
            b.addFunctions(fi);
        }
        for (WebApp w : app.getWebAppsList()) {
            b.addWebApps(AppWebInfo.newBuilder().setName(w.getName()).setUrl(r.live() ? firstUrl(l -> l.url(r.name(), w)) : ""));
        }
        return b.build();
    }

    private String firstUrl(java.util.function.Function<AppListener, String> url) {
        for (AppListener l : listeners) {
            String u = url.apply(l);
            if (u != null && !u.isEmpty()) {
                return u;
            }
        }
        return "";
    }

    private void notify(AppListener l, AppSpec app, AppInfo info) {
        try {
            l.deployed(app, info);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "an app listener failed on the deploy of " + app.getName(), e);
        }
    }

    /** Stops ephemeral apps whose owner process is gone. */
    private void stopOrphans() {
        try {
            for (AppsDb.Row r : db.all()) {
                if (r.state() == AppState.APP_STATE_EPHEMERAL
                        && ProcessHandle.of(r.ownerPid()).map(ProcessHandle::isAlive).orElse(false) == false) {
                    stop(r.name(), "stopped: it was ephemeral and its owner (pid " + r.ownerPid() + ") is gone");
                }
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "checking ephemeral apps' owners", e);
        }
    }

    private static <T> void reply(StreamObserver<T> out, T v) {
        out.onNext(v);
        out.onCompleted();
    }

    @Override
    public void close() {
        scheduler.close();
        db.close();
    }
}

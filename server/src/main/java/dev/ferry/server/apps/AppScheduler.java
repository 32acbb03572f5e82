package dev.ferry.server.apps;

import dev.ferry.proto.v1.AppFunction;
import dev.ferry.proto.v1.AppSpec;
import dev.ferry.proto.v1.CallInfo;
import dev.ferry.proto.v1.CallState;
import dev.ferry.server.functions.FunctionService;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Fires the schedules of live apps as ordinary calls tagged with their app. Rules (docs/apps.md): a run due
 * while the function's previous run is still pending or running is skipped and logged (no overlap); runs
 * missed while the server was down are not caught up (the next one is the first due after the start); a
 * period counts from the app's latest deploy.
 */
final class AppScheduler implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");
    private final FunctionService functions;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "ferry-schedules");
        t.setDaemon(true);
        return t;
    });
    /** "app/function" → its next firing. */
    private final Map<String, ScheduledFuture<?>> armed = new ConcurrentHashMap<>();
    /** app → the deploy generation its firings belong to (a redeploy or stop makes older ones no-ops). */
    private final Map<String, Long> generation = new ConcurrentHashMap<>();
    private long generations;

    AppScheduler(FunctionService functions) {
        this.functions = functions;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** Arms every schedule of {@code app} (deployed at {@code anchorMs}), replacing its earlier ones. */
    synchronized void arm(AppSpec app, long anchorMs) {
        disarm(app.getName());
        long gen = ++generations;
        generation.put(app.getName(), gen);
        for (AppFunction f : app.getFunctionsList()) {
            if (f.hasSchedule() && f.getSchedule().getKindCase() != dev.ferry.proto.v1.Schedule.KindCase.KIND_NOT_SET) {
                schedule(app.getName(), f, anchorMs, gen);
            }
        }
    }

    /** Stops firing the schedules of {@code app}. */
    synchronized void disarm(String app) {
        generation.remove(app);
        armed.entrySet().removeIf(e -> {
            if (e.getKey().startsWith(app + "/")) {
                e.getValue().cancel(false);
                return true;
            }
            return false;
        });
    }

    private void schedule(String app, AppFunction f, long anchorMs, long gen) {
        Optional<Instant> next = CronRules.next(f.getSchedule(), Instant.now(), anchorMs);
        if (next.isEmpty()) {
            LOG.warning("schedule of " + app + "/" + f.getFunction().getName() + " has no next run; it will not fire");
            return;
        }
        long delay = Math.max(0, next.get().toEpochMilli() - System.currentTimeMillis());
        armed.put(app + "/" + f.getFunction().getName(),
                timer.schedule(() -> fire(app, f, anchorMs, gen), delay, TimeUnit.MILLISECONDS));
    }

    private void fire(String app, AppFunction f, long anchorMs, long gen) {
        synchronized (this) {
            if (!Long.valueOf(gen).equals(generation.get(app))) {
                return; // redeployed or stopped meanwhile
            }
        }
        String name = f.getFunction().getName();
        String what = app + "/" + name + " (" + ScheduleText.describe(f.getSchedule()) + ")";
        try {
            CallInfo last = functions.latest(app, name);
            if (last != null && (last.getState() == CallState.CALL_STATE_PENDING || last.getState() == CallState.CALL_STATE_RUNNING)) {
                LOG.info("schedule " + what + ": run skipped, the previous run " + last.getCallId() + " is still "
                        + last.getState().name().substring("CALL_STATE_".length()).toLowerCase(java.util.Locale.ROOT));
            } else {
                String id = functions.submit(f.getFunction(), List.of(), app);
                LOG.info("schedule " + what + ": " + id);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "schedule " + what + " could not fire", e);
        }
        synchronized (this) {
            if (Long.valueOf(gen).equals(generation.get(app))) {
                schedule(app, f, anchorMs, gen);
            }
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}

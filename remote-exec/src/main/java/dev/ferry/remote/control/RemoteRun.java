package dev.ferry.remote.control;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.remote.protocol.Ops;
import dev.ferry.remote.worker.ErrorReport;

import java.util.concurrent.TimeUnit;

/**
 * One cell in a remote worker: the notebook's declarations, the {@code in=} values, then the cell, with
 * its output streamed into the calling cell. Interrupt and {@code timeout=} give the worker 2 s to stop
 * the cell, then its placement is killed.
 */
final class RemoteRun {
    private static final long GRACE_MS = 2000;
    private final RemoteSession session;
    private final RemoteRequest req;
    private final Worker.CallContext ctx;
    private volatile long interruptedAt;

    RemoteRun(RemoteSession session, RemoteRequest req, Worker.CallContext ctx) {
        this.session = session;
        this.req = req;
        this.ctx = ctx;
    }

    void interrupt() {
        if (interruptedAt == 0) {
            interruptedAt = System.nanoTime();
            session.worker.interrupt();
        }
    }

    JsonElement execute(byte[] varsBody) throws Exception {
        Worker w = session.worker;
        if (!req.declarations().isEmpty()) {
            declare(String.join("\n", req.declarations()));
        }
        if (!req.vars().isEmpty()) {
            JsonObject fields = new JsonObject();
            fields.add("vars", req.vars());
            JsonObject r = w.request(Ops.BIND, fields, varsBody).get(60, TimeUnit.SECONDS);
            if (!"ok".equals(r.get("status").getAsString())) {
                throw new IllegalStateException("in= could not bind its values in the remote session: "
                        + (r.has("evalue") ? r.get("evalue").getAsString() : "unknown reason"));
            }
        }
        JsonObject extra = new JsonObject();
        extra.addProperty("capture", req.capture());
        Worker.Execution e = w.execute(req.code(), req.cell(), false, extra);
        long deadline = req.timeoutS() == null ? Long.MAX_VALUE : System.nanoTime() + req.timeoutS() * 1_000_000_000L;
        boolean timedOut = false;
        while (true) {
            WorkerEvent ev = e.next(50, TimeUnit.MILLISECONDS);
            long now = System.nanoTime();
            if (ev == null) {
                if (!timedOut && now > deadline) {
                    timedOut = true;
                    interrupt();
                }
                if (interruptedAt != 0 && now - interruptedAt > GRACE_MS * 1_000_000L) {
                    session.worker.kill(); // the Died event ends the loop
                    interruptedAt = now + 3_600_000_000_000L; // once
                }
                continue;
            }
            if (ev instanceof WorkerEvent.Stream || ev instanceof WorkerEvent.Display) {
                ctx.emit(ev);
            } else if (ev instanceof WorkerEvent.InputRequest in) {
                w.answerInput(in.rid(), null); // remote cells have no stdin
            } else if (ev instanceof WorkerEvent.Result r) {
                if (timedOut) {
                    return timeoutError(true);
                }
                ctx.replyBody(r.body());
                JsonObject out = r.fields(); // the worker made it for this event alone
                out.addProperty("engine", session.engine.name());
                out.addProperty("placement", w.id());
                return out;
            } else if (ev instanceof WorkerEvent.Died d) {
                session.worker.kill(); // a dead worker's container is removed now, session or not
                if (timedOut) {
                    return timeoutError(false);
                }
                if (interruptedAt != 0) {
                    return ErrorReport.simple("KeyboardInterrupt", "interrupted; the " + where() + " did not stop within 2 s and was"
                            + " stopped" + lost());
                }
                return ErrorReport.simple("WorkerDied", "the " + where() + " died during the cell: "
                        + explain(d.death(), session.memoryMiB, session.engine.isolated()) + lost());
            }
        }
    }

    /**
     * How a remote worker ended, with the fix for running out of memory that applies where it ran: {@code memory=}
     * (with the value it had and a larger one), not the notebook worker's FERRY_JVM_OPTS.
     */
    static String explain(dev.ferry.remote.WorkerDeath death, Long memoryMiB, boolean isolated) {
        String example = "%%remote memory=" + (memoryMiB == null ? 4096 : memoryMiB * 2);
        String advice = (memoryMiB == null
                ? "This cell had no memory= limit (its JVM took the default heap): give it one, e.g. `" + example + "`"
                : "This cell had memory=" + memoryMiB + " MiB: raise it, e.g. `" + example + "`")
                + (isolated ? " (the container's JVM gets 75% of it as heap)."
                : " (memory= sets the worker's -Xmx to 3/4 of it).");
        String text = death.explain(advice);
        if (!death.outOfMemory() && death.exitCode() == 137 && memoryMiB != null && isolated) {
            text += " A container killed like this has usually reached its memory limit. " + advice;
        }
        return text;
    }

    private void declare(String code) throws Exception {
        // a death or a timeout is reported by the cell itself, which runs next
        if (session.worker.execute(code, 0, false).end(120, TimeUnit.SECONDS) instanceof WorkerEvent.Result r
                && !r.status().equals("ok")) {
            ctx.emit(new WorkerEvent.Stream("stderr", "[ferry] a notebook declaration did not compile in the "
                    + where() + " (" + (r.fields().has("evalue") ? r.fields().get("evalue").getAsString() : "?")
                    + "); the cell runs without it\n"));
        }
    }

    private String where() {
        return session.engine.placementNoun() + " " + session.worker.id();
    }

    private String lost() {
        return session.name == null ? "" : "; session '" + session.name + "' is gone (the next cell starts it fresh)";
    }

    private JsonObject timeoutError(boolean stoppedInTime) {
        if (stoppedInTime && session.name != null) {
            return ErrorReport.simple("TimeoutError", "the cell ran past timeout=" + req.timeoutS() + " s and was interrupted;"
                    + " session '" + session.name + "' keeps its state");
        }
        session.worker.kill();
        return ErrorReport.simple("TimeoutError", "the cell ran past timeout=" + req.timeoutS() + " s; the " + where()
                + " was stopped" + lost());
    }
}

package dev.ferry.kernel;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ferry.kernel.wire.Message;
import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Jupyter front: the shell and control loops and what each request does. Cells run in the worker
 * (never here); this class turns their events into iopub messages in protocol order:
 * busy, execute_input, outputs, reply, idle.
 */
final class Kernel {
    private static final long ANALYSIS_TIMEOUT_S = 20;

    private final Channels ch;
    private final WorkerSupervisor workers;
    private final History history;
    private final StdinBridge stdin;
    private final Runnable exit;
    private volatile JsonObject lastExecuteHeader;
    /** The header of the shell request being handled (or handled last): the parent of comm messages from the worker. */
    private volatile JsonObject currentParent;
    private final Comms comms;
    private int executionCount;

    private volatile Runnable onInterrupt = () -> { };

    Kernel(Channels ch, WorkerSupervisor workers, History history, Runnable exit) {
        this.ch = ch;
        this.workers = workers;
        this.history = history;
        this.exit = exit;
        this.stdin = new StdinBridge(ch);
        this.comms = new Comms(ch, workers::current, () -> currentParent);
        comms.forwardWith(this::runComm);
    }

    /** The comm registry, which also answers the worker's {@code comm.*} calls. */
    Comms comms() {
        return comms;
    }

    /** Output that arrives between cells (a background thread printing) goes to the last cell. */
    void orphan(WorkerEvent e) {
        JsonObject parent = lastExecuteHeader;
        if (parent != null && e instanceof WorkerEvent.Stream s) {
            ch.publish("stream", parent, stream(s.name(), s.text()));
        }
    }

    void runShell() {
        ch.status("starting", null); // once, at start, as the messaging spec asks
        Message m;
        while ((m = ch.wire.receive(ch.shell)) != null) {
            try {
                ch.status("busy", m.header());
                workers.activity(true);
                handleShell(m);
                workers.activity(false);
                ch.status("idle", m.header());
            } catch (org.zeromq.ZMQException e) {
                return; // the context was closed: the kernel is shutting down
            } catch (RuntimeException e) {
                System.err.println("[ferry] " + m.type() + " failed: " + e);
                e.printStackTrace();
                workers.activity(false);
                ch.status("idle", m.header());
            }
        }
    }

    void runControl() {
        Message m;
        while ((m = ch.wire.receive(ch.control)) != null) {
            ch.status("busy", m.header());
            switch (m.type()) {
                case "kernel_info_request" -> ch.reply(ch.control, m, "kernel_info_reply", KernelInfo.content());
                case "interrupt_request" -> {
                    interrupt();
                    ch.reply(ch.control, m, "interrupt_reply", ok());
                }
                case "shutdown_request" -> shutdown(ch.control, m);
                default -> System.err.println("[ferry] ignored control message " + m.type());
            }
            ch.status("idle", m.header());
        }
    }

    void interrupt() {
        stdin.cancel();
        workers.interrupt();
        onInterrupt.run();
    }

    /** Also runs on every interrupt (the control plane stops remote cells). */
    void onInterrupt(Runnable r) {
        onInterrupt = r;
    }

    private void handleShell(Message m) {
        currentParent = m.header();
        switch (m.type()) {
            case "kernel_info_request" -> ch.reply(ch.shell, m, "kernel_info_reply", KernelInfo.content());
            case "execute_request" -> execute(m);
            case "complete_request" -> analysis(m, "complete", "complete_reply");
            case "inspect_request" -> analysis(m, "inspect", "inspect_reply");
            case "is_complete_request" -> analysis(m, "is_complete", "is_complete_reply");
            case "history_request" -> history(m);
            case "comm_info_request" -> {
                JsonObject c = ok();
                c.add("comms", comms.info(m.str("target_name", null)));
                ch.reply(ch.shell, m, "comm_info_reply", c);
            }
            case "shutdown_request" -> shutdown(ch.shell, m);
            case "comm_open" -> comms.open(m);
            case "comm_msg" -> comms.msg(m);
            case "comm_close" -> comms.close(m);
            default -> System.err.println("[ferry] ignored shell message " + m.type());
        }
    }

    private void execute(Message m) {
        String code = m.str("code", "");
        boolean silent = m.bool("silent", false);
        boolean store = m.bool("store_history", !silent) && !silent;
        boolean allowStdin = m.bool("allow_stdin", true);
        if (store) {
            executionCount++;
        }
        int count = executionCount;
        if (!silent) { // a silent request is neither counted nor broadcast
            lastExecuteHeader = m.header();
            JsonObject input = new JsonObject();
            input.addProperty("code", code);
            input.addProperty("execution_count", count);
            ch.publish("execute_input", m.header(), input);
        }
        if (store) {
            history.record(count, code);
        }
        JsonObject reply = runCell(m, code, count, allowStdin, silent, store);
        reply.addProperty("execution_count", count);
        boolean ok = reply.get("status").getAsString().equals("ok");
        // as ipykernel: user_expressions are evaluated only after a cell that succeeded; both fields are always there
        reply.add("user_expressions", ok ? userExpressions(m) : new JsonObject());
        reply.add("payload", new JsonArray());
        ch.reply(ch.shell, m, "execute_reply", reply);
        if (!ok && !silent && m.bool("stop_on_error", true)) {
            abortQueued();
        }
    }

    /**
     * The execute_request's {@code user_expressions} evaluated in the worker's session after the cell:
     * {name: {status ok, data, metadata}} or {name: {status error, ename, evalue, traceback}}.
     */
    private JsonObject userExpressions(Message m) {
        JsonObject asked = m.content().has("user_expressions") && m.content().get("user_expressions").isJsonObject()
                ? m.content().getAsJsonObject("user_expressions") : new JsonObject();
        if (asked.isEmpty()) {
            return new JsonObject();
        }
        JsonObject f = new JsonObject();
        f.add("expressions", asked);
        try {
            JsonObject r = workers.ready().request(dev.ferry.remote.protocol.Ops.USER_EXPRESSIONS, f).get(ANALYSIS_TIMEOUT_S, TimeUnit.SECONDS);
            if (r.has("values") && r.get("values").isJsonObject()) {
                return r.getAsJsonObject("values");
            }
            throw new IOException(r.has("evalue") ? r.get("evalue").getAsString() : "the worker gave no values");
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            JsonObject out = new JsonObject();
            for (String name : asked.keySet()) {
                JsonObject err = new JsonObject();
                err.addProperty("status", "error");
                err.addProperty("ename", "WorkerUnavailable");
                err.addProperty("evalue", "user expressions could not be evaluated: " + e.getMessage());
                JsonArray tb = new JsonArray();
                tb.add(ErrorText.red("WorkerUnavailable") + ": " + e.getMessage());
                err.add("traceback", tb);
                out.add(name, err);
            }
            return out;
        }
    }

    /**
     * After a failed cell, cells already queued behind it (JupyterLab's "Run All") are answered
     * {@code aborted} instead of running on a broken state, as IPython does; other requests run.
     */
    private void abortQueued() {
        Message q;
        while ((q = ch.wire.receiveWaiting(ch.shell)) != null) {
            ch.status("busy", q.header());
            if (q.type().equals("execute_request")) {
                JsonObject c = new JsonObject();
                c.addProperty("status", "aborted");
                c.addProperty("execution_count", executionCount);
                ch.reply(ch.shell, q, "execute_reply", c);
            } else {
                handleShell(q);
            }
            ch.status("idle", q.header());
        }
    }

    /** Runs the cell in the worker, publishing its events; returns the reply content (without the count). */
    private JsonObject runCell(Message m, String code, int count, boolean allowStdin, boolean silent, boolean store) {
        if (code.isBlank()) {
            return ok();
        }
        Worker w;
        Worker.Execution ex;
        try {
            w = workers.ready();
            ex = w.execute(code, count, allowStdin);
        } catch (IOException e) {
            return error(m, "WorkerUnavailable", e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(m, "Interrupted", "the kernel was interrupted while waiting for its worker");
        }
        return events(m, w, ex, count, allowStdin, silent, store);
    }

    /** A front end's comm message, run by its handler in the worker; the handler's output goes to the message. */
    private void runComm(Message m, JsonObject fields) {
        try {
            Worker w = workers.ready();
            events(m, w, w.run(dev.ferry.remote.protocol.Ops.COMM, fields), 0, false, false, false);
        } catch (IOException e) {
            System.err.println("[ferry] " + m.type() + " not delivered: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Publishes a running request's events under {@code m} until its Result or the worker's death; returns the reply content. */
    private JsonObject events(Message m, Worker w, Worker.Execution ex, int count, boolean allowStdin, boolean silent,
                              boolean store) {
        while (true) {
            WorkerEvent e;
            try {
                e = ex.next();
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return error(m, "Interrupted", "the kernel thread was interrupted");
            }
            if (e instanceof WorkerEvent.Stream s) {
                if (!silent) {
                    ch.publish("stream", m.header(), stream(s.name(), s.text()));
                }
            } else if (e instanceof WorkerEvent.Display d) {
                if (!silent) {
                    publishDisplay(m, d.frame());
                }
            } else if (e instanceof WorkerEvent.InputRequest r) {
                w.answerInput(r.rid(), allowStdin ? stdin.ask(m, r.prompt(), r.password()) : null);
            } else if (e instanceof WorkerEvent.Result r) {
                JsonObject f = r.fields();
                if (r.status().equals("ok")) {
                    if (f.has("data") && store && f.get("data").isJsonObject()
                            && f.getAsJsonObject("data").has("text/plain")) { // Out[count], for history with output
                        history.recordOutput(count, f.getAsJsonObject("data").get("text/plain").getAsString());
                    }
                    if (f.has("data") && !silent) {
                        JsonObject res = new JsonObject();
                        res.addProperty("execution_count", count);
                        res.add("data", f.get("data"));
                        res.add("metadata", new JsonObject());
                        ch.publish("execute_result", m.header(), res);
                    }
                    return ok();
                }
                return error(m, f.get("ename").getAsString(), f.get("evalue").getAsString(), f.getAsJsonArray("traceback"));
            } else if (e instanceof WorkerEvent.Died d) {
                workers.replace(w);
                JsonArray tb = new JsonArray();
                tb.add(ErrorText.red("WorkerDied") + ": " + d.death().explain());
                if (!d.death().lastLines().isEmpty()) {
                    tb.add("Last output of the worker:");
                    d.death().lastLines().forEach(tb::add);
                }
                return error(m, "WorkerDied", d.death().explain(), tb);
            }
        }
    }

    private void publishDisplay(Message m, JsonObject frame) {
        JsonObject c = new JsonObject();
        c.add("data", frame.has("data") ? frame.get("data") : new JsonObject());
        c.add("metadata", frame.has("metadata") ? frame.get("metadata") : new JsonObject());
        JsonObject transient_ = new JsonObject();
        if (frame.has("display_id")) {
            transient_.add("display_id", frame.get("display_id"));
        }
        c.add("transient", transient_);
        ch.publish(frame.has("update") && frame.get("update").getAsBoolean() ? "update_display_data" : "display_data",
                m.header(), c);
    }

    private JsonObject error(Message m, String ename, String evalue) {
        JsonArray tb = new JsonArray();
        tb.add(ErrorText.red(ename) + ": " + evalue);
        return error(m, ename, evalue, tb);
    }

    private JsonObject error(Message m, String ename, String evalue, JsonArray traceback) {
        JsonObject c = new JsonObject();
        c.addProperty("ename", ename);
        c.addProperty("evalue", evalue);
        c.add("traceback", traceback);
        ch.publish("error", m.header(), c);
        JsonObject r = c.deepCopy();
        r.addProperty("status", "error");
        return r;
    }

    private void analysis(Message m, String op, String replyType) {
        JsonObject f = new JsonObject();
        f.addProperty("code", m.str("code", ""));
        if (m.content().has("cursor_pos")) {
            f.addProperty("cursor", m.integer("cursor_pos", 0));
        }
        f.addProperty("detail", m.integer("detail_level", 0));
        JsonObject r;
        try {
            r = workers.ready().request(op, f).get(ANALYSIS_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (Exception e) {
            r = new JsonObject();
            r.addProperty("status", "error");
            r.addProperty("ename", "WorkerUnavailable");
            r.addProperty("evalue", String.valueOf(e.getMessage()));
            r.add("traceback", new JsonArray());
        }
        r.remove("op");
        r.remove("id");
        switch (op) {
            case "complete" -> {
                if (!r.has("matches")) {
                    r.add("matches", new JsonArray());
                    int cursor = m.integer("cursor_pos", 0);
                    r.addProperty("cursor_start", cursor);
                    r.addProperty("cursor_end", cursor);
                }
                r.add("metadata", new JsonObject());
            }
            case "inspect" -> {
                if (!r.has("found")) {
                    r.addProperty("found", false);
                }
                if (!r.has("data")) {
                    r.add("data", new JsonObject());
                }
                r.add("metadata", new JsonObject());
                r.addProperty("status", "ok");
            }
            default -> { // is_complete: the worker's completeness is the reply's status
                String status = r.has("completeness") ? r.get("completeness").getAsString() : "unknown";
                r.remove("completeness");
                r.addProperty("status", status);
            }
        }
        ch.reply(ch.shell, m, replyType, r);
    }

    private void history(Message m) {
        JsonObject c = ok();
        c.add("history", history.query(KernelCalls.historyRequest(m.content())));
        ch.reply(ch.shell, m, "history_reply", c);
    }

    private void shutdown(org.zeromq.ZMQ.Socket socket, Message m) {
        JsonObject c = ok();
        c.addProperty("restart", m.bool("restart", false));
        ch.reply(socket, m, "shutdown_reply", c);
        exit.run();
    }

    static JsonObject ok() {
        JsonObject o = new JsonObject();
        o.addProperty("status", "ok");
        return o;
    }

    static JsonObject stream(String name, String text) {
        JsonObject o = new JsonObject();
        o.addProperty("name", name);
        o.addProperty("text", text);
        return o;
    }

}

package dev.ferry.remote;

import com.google.gson.JsonObject;

/** What a running cell reports, in order: output, displays, input requests, then its result or death. */
public sealed interface WorkerEvent {
    /** Text for stdout or stderr (from System.out/err, or raw output of child processes and native code). */
    record Stream(String name, String text) implements WorkerEvent {}

    /** A display bundle: {@code data} and {@code metadata} maps, an optional display id, update or not. */
    record Display(JsonObject frame) implements WorkerEvent {}

    /** The cell reads System.in: answer with {@link Worker#answerInput}. */
    record InputRequest(long rid, String prompt, boolean password) implements WorkerEvent {}

    /**
     * The cell ended: {@code status} ok (with optional {@code data}), error (ename, evalue, traceback); the
     * result frame's fields without its {@code op} and {@code id}.
     */
    record Result(JsonObject fields, byte[] body) implements WorkerEvent {
        public Result(JsonObject fields) {
            this(fields, new byte[0]);
        }

        public String status() {
            return fields.get("status").getAsString();
        }
    }

    /** The worker process ended while the cell ran: the session state is gone. */
    record Died(WorkerDeath death) implements WorkerEvent {}
}

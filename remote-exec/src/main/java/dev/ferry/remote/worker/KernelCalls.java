package dev.ferry.remote.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.remote.protocol.Errors;
import dev.ferry.remote.protocol.Frame;
import dev.ferry.remote.protocol.FrameCodec;
import dev.ferry.remote.protocol.Ops;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Calls from the worker into the kernel's control plane: a {@code call} frame {rid, target, args},
 * answered by a {@code call_reply} {rid, ok, value | error} that WorkerMain's frame loop hands to
 * {@link #answer}. Blocking, with a timeout.
 */
final class KernelCalls {
    /** The kernel answered with an error, did not answer in time, or is not there. */
    static final class CallFailed extends RuntimeException {
        /** The class of the exception the kernel's handler threw, when it threw one. */
        final String remoteType;
        /** The handler's own message (without "the kernel could not answer"). */
        final String remoteMessage;
        /** The kernel's exception as this side's type ({@link Errors#read}), when it threw one. */
        final RuntimeException remote;

        CallFailed(String message) {
            super(message);
            this.remoteType = null;
            this.remoteMessage = null;
            this.remote = null;
        }

        CallFailed(String message, JsonObject reply) {
            super(message);
            this.remote = Errors.read(reply, KernelCalls.class.getClassLoader());
            this.remoteType = reply.has("errorType") ? reply.get("errorType").getAsString() : null;
            this.remoteMessage = reply.has("error") ? reply.get("error").getAsString() : null;
        }
    }

    private static final AtomicLong RIDS = new AtomicLong();
    /** How long an interrupted remote.run still waits for the control plane's answer (its grace is 2 s). */
    private static final long INTERRUPT_ANSWER_MS = 5000;
    private static final Map<Long, CompletableFuture<Frame>> PENDING = new ConcurrentHashMap<>();
    private static volatile FrameCodec codec;

    private KernelCalls() {}

    static void connect(FrameCodec c) {
        codec = c;
    }

    /** A call's answer: its JSON value and the raw bytes that came with it. */
    record Answer(JsonElement value, byte[] body) {}

    /** Calls {@code target} in the kernel and returns its value; waits at most {@code timeoutMs}. */
    static JsonElement call(String target, JsonObject args, long timeoutMs) {
        return call(target, args, new byte[0], timeoutMs).value();
    }

    /** A call with a body; the answer keeps the reply's body. Waits at most {@code timeoutMs} (0: no limit). */
    static Answer call(String target, JsonObject args, byte[] body, long timeoutMs) {
        FrameCodec c = codec;
        if (c == null) {
            throw new CallFailed("no kernel to call (not running inside a worker)");
        }
        long rid = RIDS.incrementAndGet();
        CompletableFuture<Frame> reply = new CompletableFuture<>();
        PENDING.put(rid, reply);
        try {
            c.write(Frame.of(Ops.CALL).with("rid", rid).with("target", target).with("args", args).withBody(body));
            Frame answer;
            try {
                answer = timeoutMs > 0 ? reply.get(timeoutMs, TimeUnit.MILLISECONDS) : reply.get();
            } catch (InterruptedException e) {
                if (!target.equals("remote.run")) {
                    throw e;
                }
                // the control plane got the same interrupt: it answers once the remote cell stopped, or after
                // its 2 s grace, when it killed the container; that answer says what happened to the session
                try {
                    answer = reply.get(INTERRUPT_ANSWER_MS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException | InterruptedException late) {
                    throw e;
                } finally {
                    Thread.currentThread().interrupt();
                }
            }
            JsonObject r = answer.header();
            if (r.has("ok") && r.get("ok").getAsBoolean()) {
                return new Answer(r.get("value"), answer.body());
            }
            String why = r.has("error") ? r.get("error").getAsString() : "no reason given";
            throw new CallFailed("the kernel could not answer '" + target + "': " + why, r);
        } catch (IOException e) {
            throw new CallFailed("the kernel is gone: " + e.getMessage());
        } catch (TimeoutException e) {
            throw new CallFailed("the kernel did not answer '" + target + "' within " + timeoutMs + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CallFailed("interrupted while waiting for the kernel");
        } catch (ExecutionException e) {
            throw new CallFailed(String.valueOf(e.getCause()));
        } finally {
            PENDING.remove(rid);
        }
    }

    /** A {@code call_reply} arrived (WorkerMain's frame loop). */
    static void answer(Frame reply) {
        CompletableFuture<Frame> f = PENDING.get(reply.header().get("rid").getAsLong());
        if (f != null) {
            f.complete(reply);
        }
    }
}

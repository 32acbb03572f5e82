package dev.ferry;

import dev.ferry.spi.FunctionRuntime;

import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * A function call recorded by the Ferry server ({@link Function#spawn}): fetch its value by id from this
 * kernel, another kernel on the same server, or after a restart ({@link #fromId}). Results are kept 7 days.
 *
 * @param <R> the function's return type
 */
public final class FunctionCall<R> {
    /** Where a call stands. */
    public enum State { PENDING, RUNNING, SUCCEEDED, FAILED, CANCELLED, TIMED_OUT }

    /** The longest one wait on the server lasts; {@link #get()} waits in steps of this. */
    private static final long POLL_MS = 55_000;
    private final String id;

    FunctionCall(String id) {
        this.id = id;
    }

    /**
     * The call with this id; does not check that it exists (the first {@link #get} or {@link #status} does).
     *
     * @throws InvalidArgumentException when {@code id} is not a call id ("fc-...")
     */
    public static <T> FunctionCall<T> fromId(String id) {
        if (id == null || !id.startsWith("fc-")) {
            throw new InvalidArgumentException("'" + id + "' is not a function call id: ids start with fc- (take one from"
                    + " call.id() or `ferry call list`)");
        }
        return new FunctionCall<>(id.strip());
    }

    /** Its id, "fc-" and 26 characters. */
    public String id() {
        return id;
    }

    /** Waits for the call to finish and returns its value; throws its remote exception when it failed. */
    public R get() {
        while (true) {
            FunctionRuntime.CallState s = FunctionRuntime.current().get(id, POLL_MS);
            if (s.finished()) {
                return outcome(s);
            }
        }
    }

    /**
     * Waits at most {@code timeout} ({@link Duration#ZERO}: only looks) and returns the value.
     *
     * @throws TimeoutException while the call is still pending or running
     */
    public R get(Duration timeout) throws TimeoutException {
        long left = Math.max(0, timeout.toMillis());
        long deadline = System.currentTimeMillis() + left;
        while (true) {
            FunctionRuntime.CallState s = FunctionRuntime.current().get(id, Math.min(left, POLL_MS));
            if (s.finished()) {
                return outcome(s);
            }
            left = deadline - System.currentTimeMillis();
            if (left <= 0) {
                throw new TimeoutException(id + " is still " + s.state().toLowerCase() + " (waited "
                        + timeout.toMillis() + " ms): call get() to wait for it, or get(Duration) again later");
            }
        }
    }

    /** Cancels the call if it has not finished; returns its state afterwards. */
    public State cancel() {
        return State.valueOf(FunctionRuntime.current().cancel(id).state());
    }

    /** Its state now, without waiting. */
    public State status() {
        return State.valueOf(FunctionRuntime.current().get(id, 0).state());
    }

    @SuppressWarnings("unchecked")
    private R outcome(FunctionRuntime.CallState s) {
        if (s.state().equals("SUCCEEDED")) {
            return (R) s.value();
        }
        throw s.error();
    }

    @Override
    public String toString() {
        return "FunctionCall[" + id + "]";
    }
}

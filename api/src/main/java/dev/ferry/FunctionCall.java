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
        return get(false);
    }

    /** How often {@link Function#remote} looks for new output of a running call. */
    private static final long FOLLOW_MS = 1000;

    /** {@link #get()}; with {@code printLogs}, what the call prints is printed here as it comes (remote()). */
    R get(boolean printLogs) {
        int printed = 0;
        while (true) {
            FunctionRuntime.CallState s = FunctionRuntime.current().get(id, printLogs ? FOLLOW_MS : POLL_MS);
            if (printLogs && s.logChunks() > printed) {
                printed = print(printed);
            }
            if (s.finished()) {
                return outcome(s);
            }
        }
    }

    private int print(int from) {
        FunctionRuntime.Logs l = FunctionRuntime.current().logs(id, from);
        for (FunctionRuntime.LogChunk c : l.chunks()) {
            (c.stream().equals("stderr") ? System.err : System.out).print(c.text());
        }
        System.out.flush();
        System.err.flush();
        return l.next();
    }

    /**
     * What the call printed in its worker (stdout and stderr, in the order printed; every attempt's, at most 1 MiB),
     * so far: the server keeps it with the call, 7 days ({@code ferry logs fc-...} from a terminal).
     */
    public String logs() {
        StringBuilder b = new StringBuilder();
        FunctionRuntime.current().logs(id, 0).chunks().forEach(c -> b.append(c.text()));
        return b.toString();
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

package dev.ferry.remote.protocol;

/** The {@code op} names of the worker protocol (docs/worker-protocol.md). */
public final class Ops {
    private Ops() {}

    // kernel -> worker
    public static final String EXECUTE = "execute";
    public static final String COMPLETE = "complete";
    public static final String INSPECT = "inspect";
    public static final String IS_COMPLETE = "is_complete";
    public static final String INTERRUPT = "interrupt";
    public static final String INPUT_REPLY = "input_reply";
    public static final String CALL_REPLY = "call_reply";
    public static final String SHUTDOWN = "shutdown";
    /** Values sent by value into the session ({@code %%remote in=}): header {@code vars}, body the encoded values. */
    public static final String BIND = "bind";
    /** An execute_request's user_expressions: {@code expressions} {name: code}; the reply's {@code values}. */
    public static final String USER_EXPRESSIONS = "user_expressions";
    /**
     * A front end's comm message for a comm of this session: {@code kind} open / msg / close, {@code comm_id},
     * {@code target_name} (open), {@code data}, {@code metadata}; answered like a cell (output, then a result).
     */
    public static final String COMM = "comm";
    /** A kernel took this spare worker ({@code pid}: the kernel's; the worker leaves when it is gone). */
    public static final String CLAIM = "claim";

    // worker -> kernel
    public static final String HELLO = "hello";
    public static final String STREAM = "stream";
    public static final String DISPLAY = "display";
    public static final String RESULT = "result";
    public static final String REPLY = "reply";
    public static final String INPUT_REQUEST = "input_request";
    public static final String CALL = "call";

    /** Written by the worker to its raw descriptor 1 before each result, so the kernel can order raw output. */
    /** The longest one blocking {@code store.queueGet} call waits in the kernel; the worker asks again until its deadline. */
    public static final long STORE_GET_MAX_WAIT_MS = 20_000;
    public static final String RAW_SYNC_PREFIX = "\u0000FERRY-SYNC ";
    /**
     * Written to a spare worker's raw pipe by the shell that started it, after the JVM ended, with its exit
     * status: a claimed spare is not the kernel's child, so this is how the kernel learns the exit code.
     */
    public static final String RAW_EXIT_PREFIX = "\u0000FERRY-EXIT ";
    /** What both raw markers start with. */
    public static final String RAW_MARK_PREFIX = "\u0000FERRY-";
}

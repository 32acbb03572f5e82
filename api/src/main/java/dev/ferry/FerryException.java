package dev.ferry;

/**
 * The root of Ferry's errors. Each carries a {@link Code}, the one table from an error to its wire status
 * (between a worker, the kernel and a server) and to the {@code ename} a notebook shows. The family is small:
 * {@link InvalidArgumentException}, {@link NotFoundException}, {@link FerryTimeoutException},
 * {@link CancelledException} and {@link RemoteException} (an error raised on the other side of a call, with
 * its remote type, message and stack trace).
 */
public class FerryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong, as a status both sides of a call agree on (the names follow gRPC's codes). */
    public enum Code {
        /** A bad argument: fix the call. */
        INVALID_ARGUMENT,
        /** A named object, call or result does not exist (or no longer does). */
        NOT_FOUND,
        /** The object is not in a state that allows the operation (full, closed, limit reached). */
        FAILED_PRECONDITION,
        /** A deadline passed before the operation finished. */
        DEADLINE_EXCEEDED,
        /** The operation was cancelled or interrupted. */
        CANCELLED,
        /** The other side is not there (a worker, the kernel, a server). */
        UNAVAILABLE,
        /** The operation is not supported here. */
        UNIMPLEMENTED,
        /** User code on the other side threw. */
        REMOTE,
        /** A bug or an unexpected failure in Ferry. */
        INTERNAL
    }

    private final Code code;

    public FerryException(Code code, String message) {
        super(message); // the cause stays unset, so initCause can still attach one
        this.code = code == null ? Code.INTERNAL : code;
    }

    public FerryException(Code code, String message, Throwable cause) {
        super(message, cause);
        this.code = code == null ? Code.INTERNAL : code;
    }

    /** This error's status. */
    public Code code() {
        return code;
    }
}

package dev.ferry;

/** A deadline passed before the operation finished (a call's timeout, a result not ready in time). */
public class FerryTimeoutException extends FerryException {
    private static final long serialVersionUID = 1L;

    public FerryTimeoutException(String message) {
        super(Code.DEADLINE_EXCEEDED, message);
    }
}

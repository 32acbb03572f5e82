package dev.ferry;

/** A bad argument; the message names it and the fix. */
public class InvalidArgumentException extends FerryException {
    private static final long serialVersionUID = 1L;

    public InvalidArgumentException(String message) {
        super(Code.INVALID_ARGUMENT, message);
    }
}

package dev.ferry;

/** The operation was cancelled (a call cancelled by id, an interrupted cell). */
public class CancelledException extends FerryException {
    private static final long serialVersionUID = 1L;

    public CancelledException(String message) {
        super(Code.CANCELLED, message);
    }
}

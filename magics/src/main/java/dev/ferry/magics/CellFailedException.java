package dev.ferry.magics;

/**
 * Java code run by a magic failed; the host has already prepared the error report ({@link #report()},
 * opaque to magics) and shows it as the cell's error. Magics let it propagate.
 */
public final class CellFailedException extends RuntimeException {
    private final transient Object report;

    public CellFailedException(String message, Object report) {
        super(message, null, false, false);
        this.report = report;
    }

    public Object report() {
        return report;
    }
}

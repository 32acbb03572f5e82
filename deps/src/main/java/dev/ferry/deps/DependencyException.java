package dev.ferry.deps;

import dev.ferry.FerryException;

/**
 * Maven resolution failed, or was asked for something malformed; the message names the artifact or the
 * argument, the repositories tried, and the fix. {@code %maven} shows it as the magic's error.
 */
public class DependencyException extends FerryException {
    private static final long serialVersionUID = 1L;

    public DependencyException(Code code, String message) {
        super(code, message);
    }

    public DependencyException(Code code, String message, Throwable cause) {
        super(code, message, cause);
    }
}

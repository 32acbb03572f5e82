package dev.ferry.magics;

/**
 * A user-facing error about a magic: bad syntax, an unknown magic, a bad argument, or a failure a magic
 * reports itself. The message is written for the notebook user: it names what is wrong and how to fix it,
 * and is shown as is (no stack trace).
 */
public class MagicException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MagicException(String message) {
        super(message);
    }

    public MagicException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.ferry.remote.engine;

/** An engine could not do what was asked; the message says what went wrong and how to fix it. */
public class EngineException extends Exception {
    public EngineException(String message) {
        super(message);
    }

    public EngineException(String message, Throwable cause) {
        super(message, cause);
    }
}

package dev.ferry.gpu;

/** A GPU spec this machine (or container) cannot satisfy; the message says what was asked for and what is here. */
public class GpuUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public GpuUnavailableException(String message) {
        super(message);
    }
}

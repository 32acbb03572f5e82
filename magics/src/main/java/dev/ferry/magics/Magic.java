package dev.ferry.magics;

/**
 * One magic: its declared {@link MagicSpec} and what it does. Implementations are contributed by modules
 * through {@link MagicProvider}. The framework parses the arguments against {@link #spec()} before
 * {@link #execute} is called, so an implementation only reads typed values from {@link MagicContext#args()}.
 */
public interface Magic {

    /** The magic's name, kind, summary and declared arguments. Must return the same value on every call. */
    MagicSpec spec();

    /**
     * Runs the magic. Output goes to the context's sinks while it runs; the returned value (may be null) is
     * the cell's result, rendered like the value of a Java expression. Throw {@link MagicException} for
     * errors the user can fix; its message is shown without a stack trace.
     */
    Object execute(MagicContext context) throws Exception;
}

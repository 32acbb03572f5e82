package dev.ferry.remote.worker;

import com.google.gson.JsonObject;

/**
 * How a function call's value leaves its worker: the cell a Ferry server runs for a call ends with
 * {@code FunctionReturn.send(f(args...))}, which encodes the value with the store's codec and sends it to the
 * server as a {@value #TARGET} call (its body the encoded value). Public because that cell calls it.
 */
public final class FunctionReturn {
    /** The call target the server answers. */
    public static final String TARGET = "function.result";
    /** The call target that answers the running input's arguments (each length-prefixed, in the store's codec). */
    public static final String ARGS_TARGET = "function.args";
    private static final long TIMEOUT_MS = 60_000;

    private FunctionReturn() {}

    /**
     * Sends the function's return value.
     *
     * @throws IllegalArgumentException when the codec cannot carry the value (naming its type and where it sits)
     */
    public static void send(Object value) {
        byte[] encoded = dev.ferry.storage.Codec.encode(value);
        KernelCalls.call(TARGET, new JsonObject(), encoded, TIMEOUT_MS);
    }

    /** The body of a call cell: the method called on the arguments, as the server's cell writes it. */
    @FunctionalInterface
    public interface Body {
        Object apply(Object[] args) throws Throwable;
    }

    /** The body of a call cell of a void method. */
    @FunctionalInterface
    public interface VoidBody {
        void apply(Object[] args) throws Throwable;
    }

    /**
     * Runs one input on a warm worker in one JShell snippet: fetches the input's arguments from the server, calls
     * {@code body} and sends its value; an exception of the function propagates unchanged (its cell reports it).
     */
    public static void call(Body body) {
        Object v;
        try {
            v = body.apply(args());
        } catch (Throwable t) {
            throw sneaky(t);
        }
        send(v);
    }

    /** {@link #call} for a void method: sends null. */
    public static void run(VoidBody body) {
        try {
            body.apply(args());
        } catch (Throwable t) {
            throw sneaky(t);
        }
        send(null);
    }

    private static Object[] args() {
        byte[] body = KernelCalls.call(ARGS_TARGET, new JsonObject(), new byte[0], TIMEOUT_MS).body();
        java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
        java.util.List<Object> out = new java.util.ArrayList<>();
        while (in.hasRemaining()) {
            byte[] v = new byte[in.getInt()];
            in.get(v);
            out.add(dev.ferry.storage.Codec.decode(v, Thread.currentThread().getContextClassLoader()));
        }
        return out.toArray();
    }

    @SuppressWarnings("unchecked")
    private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
        throw (T) t;
    }
}

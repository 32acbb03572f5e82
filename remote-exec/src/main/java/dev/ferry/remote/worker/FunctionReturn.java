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
}

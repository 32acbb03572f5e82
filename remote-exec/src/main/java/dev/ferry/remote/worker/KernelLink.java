package dev.ferry.remote.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

/** Calls into the kernel for Ferry's user API outside this package (comms: docs/comms.md). */
public final class KernelLink {
    private static final long TIMEOUT_MS = 10_000;

    private KernelLink() {}

    /** Calls {@code target} in the kernel; an IllegalStateException says why it could not answer. */
    public static JsonElement call(String target, JsonObject args) {
        try {
            return KernelCalls.call(target, args, TIMEOUT_MS);
        } catch (KernelCalls.CallFailed e) {
            throw new IllegalStateException(e.remoteMessage != null ? e.remoteMessage : e.getMessage());
        }
    }
}

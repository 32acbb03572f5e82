package dev.ferry.remote.protocol;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.CancelledException;
import dev.ferry.FerryException;
import dev.ferry.FerryException.Code;
import dev.ferry.FerryTimeoutException;
import dev.ferry.InvalidArgumentException;
import dev.ferry.NotFoundException;
import dev.ferry.RemoteException;

import java.lang.reflect.Constructor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one table of Ferry's errors: an exception's wire status ({@link Code}), its Jupyter {@code ename},
 * how it is written into a reply ({@link #write}) and how the other side gets it back ({@link #read}): as
 * the sender's own exception type where that type can be loaded here, else as the Ferry exception of its
 * status, else as a {@link RemoteException} carrying the remote type, message and stack.
 */
public final class Errors {
    private Errors() {}

    /** Standard Java exceptions that Ferry's code throws, and their status (subclasses match too). */
    private static final Map<Class<? extends Throwable>, Code> STANDARD = new java.util.LinkedHashMap<>();

    static {
        STANDARD.put(IllegalArgumentException.class, Code.INVALID_ARGUMENT);
        STANDARD.put(java.util.NoSuchElementException.class, Code.NOT_FOUND);
        STANDARD.put(java.util.concurrent.TimeoutException.class, Code.DEADLINE_EXCEEDED);
        STANDARD.put(java.util.concurrent.CancellationException.class, Code.CANCELLED);
        STANDARD.put(InterruptedException.class, Code.CANCELLED);
        STANDARD.put(UnsupportedOperationException.class, Code.UNIMPLEMENTED);
        STANDARD.put(IllegalStateException.class, Code.FAILED_PRECONDITION);
        STANDARD.put(java.io.IOException.class, Code.UNAVAILABLE);
    }

    /** The status of any exception: a Ferry exception's own, a standard one's from the table, else INTERNAL. */
    public static Code code(Throwable t) {
        if (t instanceof FerryException fe) {
            return fe.code();
        }
        for (Map.Entry<Class<? extends Throwable>, Code> e : STANDARD.entrySet()) {
            if (e.getKey().isInstance(t)) {
                return e.getValue();
            }
        }
        return Code.INTERNAL;
    }

    /**
     * The {@code ename} a notebook shows: the exception's class name, or for a {@link RemoteException} the
     * remote type's (a remote error reads as what was thrown there).
     */
    public static String ename(Throwable t) {
        if (t instanceof RemoteException re && re.remoteType() != null) {
            return re.remoteType();
        }
        return t.getClass().getName();
    }

    /** Writes an exception into a reply header: {@code error} (message), {@code errorType}, {@code errorCode}, {@code errorStack}. */
    public static JsonObject write(JsonObject header, Throwable t) {
        RemoteException re = t instanceof RemoteException r ? r : null;
        header.addProperty("error", String.valueOf(re != null ? re.remoteMessage() : t.getMessage()));
        header.addProperty("errorType", ename(t));
        header.addProperty("errorCode", code(t).name());
        JsonArray stack = new JsonArray();
        if (re != null) {
            re.remoteStackTrace().forEach(stack::add);
        } else {
            for (StackTraceElement e : t.getStackTrace()) {
                stack.add(e.toString());
            }
        }
        header.add("errorStack", stack);
        return header;
    }

    /** The exception a reply header written by {@link #write} stands for, loading types with {@code loader}. */
    public static RuntimeException read(JsonObject header, ClassLoader loader) {
        String message = str(header, "error");
        String type = str(header, "errorType");
        Code code = Code.INTERNAL;
        String c = str(header, "errorCode");
        if (c != null) {
            try {
                code = Code.valueOf(c);
            } catch (IllegalArgumentException unknown) {
                code = Code.INTERNAL; // a newer peer's status
            }
        }
        List<String> stack = new ArrayList<>();
        if (header.has("errorStack") && header.get("errorStack").isJsonArray()) {
            for (JsonElement e : header.getAsJsonArray("errorStack")) {
                stack.add(e.getAsString());
            }
        }
        return rebuild(code, type, message, stack, loader);
    }

    /**
     * The local form of a remote exception: its own type where it can be loaded and made from a message
     * (with a {@link RemoteException} holding the remote stack as its cause), else the Ferry exception of its
     * status, else a {@link RemoteException}.
     */
    public static RuntimeException rebuild(Code code, String type, String message, List<String> stack,
                                           ClassLoader loader) {
        RemoteException remote = new RemoteException(code, type, message, stack);
        RuntimeException own = ownType(type, message, loader);
        if (own != null) {
            own.initCause(remote);
            return own;
        }
        return switch (code) {
            case INVALID_ARGUMENT -> withCause(new InvalidArgumentException(message), remote);
            case NOT_FOUND -> withCause(new NotFoundException(message), remote);
            case DEADLINE_EXCEEDED -> withCause(new FerryTimeoutException(message), remote);
            case CANCELLED -> withCause(new CancelledException(message), remote);
            default -> remote;
        };
    }

    private static RuntimeException withCause(RuntimeException e, Throwable cause) {
        e.initCause(cause);
        return e;
    }

    private static RuntimeException ownType(String type, String message, ClassLoader loader) {
        if (type == null || loader == null) {
            return null;
        }
        try {
            Class<?> c = Class.forName(type, false, loader);
            if (!RuntimeException.class.isAssignableFrom(c)) {
                return null; // a checked exception cannot be thrown from an unchecked call
            }
            Constructor<?> ctor = c.getConstructor(String.class);
            RuntimeException e = (RuntimeException) ctor.newInstance(message);
            return e.getCause() == null ? e : null;
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    private static String str(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : null;
    }
}

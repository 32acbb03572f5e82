package dev.ferry;

import java.util.List;

/**
 * An exception raised on the other side of a call (in a container, a function's worker, the kernel) whose
 * type cannot be loaded here. {@link #remoteType()} is that exception's class name, {@link #remoteMessage()}
 * its message and {@link #remoteStackTrace()} its frames as text; {@link #code()} is the status it was sent
 * with. Where the remote type can be loaded, callers get an instance of that type instead, with this as its
 * cause.
 */
public class RemoteException extends FerryException {
    private static final long serialVersionUID = 1L;
    private final String remoteType;
    private final String remoteMessage;
    private final List<String> remoteStackTrace;

    public RemoteException(Code code, String remoteType, String remoteMessage, List<String> remoteStackTrace) {
        super(code == null ? Code.REMOTE : code, (remoteType == null ? "remote error" : remoteType)
                + (remoteMessage == null || remoteMessage.isEmpty() ? "" : ": " + remoteMessage));
        this.remoteType = remoteType;
        this.remoteMessage = remoteMessage;
        this.remoteStackTrace = remoteStackTrace == null ? List.of() : List.copyOf(remoteStackTrace);
    }

    /** The class name of the exception on the other side. */
    public String remoteType() {
        return remoteType;
    }

    /** Its message (may be null). */
    public String remoteMessage() {
        return remoteMessage;
    }

    /** Its stack frames, one {@code StackTraceElement.toString()} a line, innermost first. */
    public List<String> remoteStackTrace() {
        return remoteStackTrace;
    }
}

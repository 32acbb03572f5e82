package dev.ferry.spi;

import java.util.List;

/**
 * The public top-level types of {@code dev.ferry}, by name: what a notebook names without imports. The
 * worker's startup imports {@code dev.ferry.*} and also imports each of these by single type, because a
 * single-type import wins over every on-demand import: Ferry's {@code Queue} and {@code Function} over
 * {@code java.util.Queue} and {@code java.util.function.Function}, which {@code java.util.*} and
 * {@code java.util.function.*} bring in on demand (two on-demand imports of one simple name would make it
 * ambiguous). Names, not classes, so that building the startup loads nothing. {@code UserApiTest} checks
 * that this list is the package's public top-level types, so a new type cannot be left out.
 */
public final class UserApi {
    private UserApi() {}

    /** The user API's package. */
    public static final String PACKAGE = "dev.ferry";

    /** Every public top-level type of {@link #PACKAGE}, sorted. */
    public static final List<String> TYPES = List.of("BuildContext", "CancelledException", "Comm", "Comms", "Dict",
            "Display", "DisplayHandle", "FerryException", "FerryTimeoutException", "Function", "FunctionCall",
            "Image", "InvalidArgumentException", "MapOptions", "NotFoundException", "Progress", "Queue", "RemoteException",
            "Renderers", "Schedule", "Secret", "Volume", "WebResponse").stream().map(n -> PACKAGE + "." + n).toList();
}

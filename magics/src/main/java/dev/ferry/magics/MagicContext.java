package dev.ferry.magics;

import java.util.Map;
import java.util.Optional;

/**
 * What a running magic sees: its parsed arguments, the cell body, and sinks for output. The host (the
 * kernel or a worker) implements it; it knows nothing of Jupyter messages.
 */
public interface MagicContext {

    /** True when invoked as a cell magic ({@code %%name}); false for a line magic ({@code %name}). */
    boolean isCell();

    /** The cell body below the {@code %%name} line; empty for a line magic. */
    String body();

    /** The arguments, parsed and typed against the magic's spec. */
    ParsedArgs args();

    /** Appends text to the cell's standard output stream. */
    void stdout(String text);

    /** Appends text to the cell's standard error stream. */
    void stderr(String text);

    /** Shows a rich output: MIME type to data, e.g. {@code text/html} to a String. */
    void display(Map<String, Object> mimeBundle);

    /**
     * Shows a bundle under {@code displayId}, or with {@code update} replaces what was shown under that id
     * ({@code update_display_data}): progress bars and live status. Hosts without it show a new output.
     */
    default void display(Map<String, Object> mimeBundle, String displayId, boolean update) {
        display(mimeBundle);
    }

    /**
     * A host service by type (for example the Java session, the store, an engine), so magics in other
     * modules can reach what they need without this framework depending on it. Empty when not offered.
     */
    default <T> Optional<T> service(Class<T> type) {
        return Optional.empty();
    }
}

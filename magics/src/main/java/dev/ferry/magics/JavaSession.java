package dev.ferry.magics;

import java.nio.file.Path;
import java.util.List;

/**
 * The Java session a magic runs beside, offered by the worker as a {@link MagicContext#service} (magics
 * such as {@code %%time}, {@code %who}, {@code %maven} and {@code %cd} need it).
 */
public interface JavaSession {
    /** A variable of the session: name, declared type, live value (may be null). */
    record Variable(String name, String type, Object value) {}

    /**
     * Runs Java code as a cell would (output streams as usual) and returns the final expression's value,
     * or null when there is none. A compile or runtime error throws {@link CellFailedException}, which
     * ends the magic and shows that error as the cell's error.
     */
    Object run(String code);

    /** The session's variables in definition order. */
    List<Variable> variables();

    /** Makes a jar or class folder importable by the next snippet. */
    void addToClasspath(Path path);

    /** The directory magics and child processes work in ({@code %cd}, {@code %%bash}, relative paths). */
    Path directory();

    void directory(Path dir);

    /** The session offered to a magic, or a {@link MagicException} naming the magic when there is none. */
    static JavaSession of(MagicContext ctx, String magic) {
        return ctx.service(JavaSession.class).orElseThrow(
                () -> new MagicException(magic + " needs a Java session; it runs only inside a Ferry worker"));
    }
}

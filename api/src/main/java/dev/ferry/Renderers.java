package dev.ferry;

import java.util.Map;
import java.util.function.Function;

/**
 * The renderer registry ({@link Display#renderers()}): turns a value into a MIME bundle ({@code text/plain},
 * {@code text/html}, {@code image/png} as base64, ...). For a value the renderer of the most specific
 * registered type wins; a renderer may decline a value by returning {@code null}. See docs/display.md.
 *
 * <pre>{@code
 * renderers().register(Point.class, p -> Map.of("text/html", "<b>" + p.x() + "," + p.y() + "</b>"));
 * }</pre>
 */
public interface Renderers {
    /**
     * Registers {@code renderer} for values of {@code type} and its subtypes. It returns a MIME bundle
     * (MIME type to a String; images as base64), or {@code null} to leave the value to the next renderer.
     */
    <T> Renderers register(Class<T> type, Function<? super T, ? extends Map<String, ?>> renderer);

    /** Removes every renderer registered for exactly {@code type}; true if there was one. */
    boolean unregister(Class<?> type);

    /** The MIME bundle for {@code value}: always with text/plain, cut to the output limits. */
    Map<String, Object> render(Object value);
}

package dev.ferry;

import dev.ferry.spi.Frontend;

/**
 * Showing values in a cell's output, imported into every session ({@code import static dev.ferry.Display.*}):
 * {@code display(obj)}, {@code display(obj, mime)}, {@code html(s)}, {@code markdown(s)}, {@code image(x)},
 * {@code progress(label, total)} and {@code renderers()}. See docs/display.md.
 */
public final class Display {
    private Display() {}

    /**
     * Shows a value the way a cell's final expression would be shown; the handle updates it in place. A
     * handle as the value ({@code display(html(...))}) moves what that handle shows here.
     */
    public static DisplayHandle display(Object value) {
        return DisplayHandle.show(DisplayHandle.bundleOf(value));
    }

    /** Shows {@code value} (its text, or a byte[] as base64) under the given MIME type. */
    public static DisplayHandle display(Object value, String mimeType) {
        return DisplayHandle.show(DisplayHandle.single(mimeType, value));
    }

    public static DisplayHandle html(String html) {
        return display(html, "text/html");
    }

    public static DisplayHandle markdown(String markdown) {
        return display(markdown, "text/markdown");
    }

    /**
     * Shows an image: a {@code BufferedImage}, a {@code Path}/{@code File}/file name of a .png, .jpg/.jpeg or
     * .gif, or PNG/JPEG/GIF bytes. Throws {@code IllegalArgumentException} for anything else.
     */
    public static DisplayHandle image(Object image) {
        return DisplayHandle.show(Frontend.current().image(image));
    }

    /** A progress bar shown now and updated in place: {@code p.advance(n)}, {@code p.set(n)}, {@code p.done()}. */
    public static Progress progress(String label, long total) {
        Frontend f = Frontend.current();
        return Progress.start(label, total, f::show);
    }

    /** A progress bar with an unknown total (a count without a bar). */
    public static Progress progress(String label) {
        return progress(label, 0);
    }

    /** The renderer registry: {@code renderers().register(Point.class, p -> Map.of("text/html", ...))}. */
    public static Renderers renderers() {
        return Frontend.current().renderers();
    }
}

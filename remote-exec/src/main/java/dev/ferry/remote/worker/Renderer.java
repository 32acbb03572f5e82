package dev.ferry.remote.worker;

import dev.ferry.remote.display.Renderers;

/** The MIME bundle of a cell's value, from the renderer registry ({@link Renderers#global()}). */
final class Renderer {
    private Renderer() {}

    /** The MIME bundle for a value: text/plain always, text/html, image/png, ... where a renderer gives them. */
    static com.google.gson.JsonObject bundle(Object value) {
        return Displays.bundle(Renderers.global().render(value));
    }
}

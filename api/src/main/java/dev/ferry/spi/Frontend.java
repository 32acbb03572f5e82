package dev.ferry.spi;

import dev.ferry.Renderers;

import java.util.Map;

/**
 * The service behind {@link dev.ferry.Display} and {@link dev.ferry.Comms}: what shows a MIME bundle in the
 * running cell and talks to the notebook's front end. The worker installs one at start; elsewhere the one on
 * the class path (remote-exec's) is used, which shows nothing outside a worker.
 */
public interface Frontend {
    /** The MIME bundle a value shows as (what a cell's final expression shows), cut to the output limits. */
    Map<String, Object> render(Object value);

    /** The bundle of an image (a BufferedImage, a .png/.jpg/.gif path or file, or PNG/JPEG/GIF bytes). */
    Map<String, Object> image(Object image);

    /** A bundle cut to the output limits. */
    Map<String, Object> limit(Map<String, Object> bundle);

    /** Shows a bundle in the running cell, or replaces the display {@code displayId} with it ({@code update}). */
    void show(Map<String, Object> bundle, String displayId, boolean update);

    /** The renderer registry that {@link #render} uses. */
    Renderers renderers();

    /**
     * Sends a comm request to the kernel ({@code kind}: register, unregister, open, msg, close; {@code args}:
     * comm_id, target_name, data). An IllegalStateException says why the kernel did not take it.
     */
    void comm(String kind, Map<String, Object> args);

    /** {@code data} as it comes back from JSON: maps, lists, strings, Long or Double numbers, booleans. */
    Map<String, Object> jsonCopy(Map<String, ?> data);

    /** The installed frontend. */
    static Frontend current() {
        return Holder.FRONTEND.get();
    }

    /** Installs the frontend (the worker does, at start). */
    static void install(Frontend frontend) {
        Holder.FRONTEND.install(frontend);
    }

    /** Where the installed frontend is kept. */
    final class Holder {
        static final Installed<Frontend> FRONTEND = new Installed<>(Frontend.class,
                "no Ferry frontend in this JVM: display and comms work inside a Ferry notebook's worker");

        private Holder() {}
    }
}

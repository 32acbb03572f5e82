package dev.ferry.remote.display;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How much of a value is ever sent to the front end. Everything bigger is cut with a note saying how much
 * there was; nothing is sent whole. {@link #enforce} is applied to every bundle, user renderers' included.
 */
public final class Limits {
    /** Characters of text (text/plain, text/html, ...) in one bundle entry. */
    public static final int MAX_TEXT = 100_000;
    /** Items of a collection, map or array spelled out in text. */
    public static final int MAX_ITEMS = 100;
    // Tables (rows, columns, cell width) have their limits in dev.ferry.arrow.TableFormat.DEFAULT.
    /** Bytes of an image (before base64). */
    public static final long MAX_IMAGE_BYTES = 10L * 1024 * 1024;

    private Limits() {}

    /** Room for the note that says text was cut (so text cut once is not cut again). */
    static final int NOTE_ROOM = 1000;

    /** {@code s} cut to {@link #MAX_TEXT} characters with a note, or {@code s} itself. */
    public static String text(String s) {
        if (s.length() <= MAX_TEXT + NOTE_ROOM) {
            return s;
        }
        int cut = MAX_TEXT;
        if (Character.isHighSurrogate(s.charAt(cut - 1))) {
            cut--;
        }
        return s.substring(0, cut) + "\n… (output truncated: " + s.length() + " characters in all)";
    }

    /** The note shown instead of an image over {@link #MAX_IMAGE_BYTES}. */
    public static String imageTooLarge(String what, long bytes) {
        return String.format("%s not shown: %.1f MB is over the %d MB limit for images", what,
                bytes / (1024.0 * 1024.0), MAX_IMAGE_BYTES / (1024 * 1024));
    }

    /**
     * A bundle made safe to send: text entries cut to {@link #MAX_TEXT}, images over {@link #MAX_IMAGE_BYTES}
     * dropped with a note in text/plain.
     */
    public static Map<String, Object> enforce(Map<String, ?> bundle) {
        Map<String, Object> out = new LinkedHashMap<>();
        String note = null;
        for (Map.Entry<String, ?> e : bundle.entrySet()) {
            String mime = e.getKey();
            Object v = e.getValue();
            if (mime.startsWith("image/") && v instanceof CharSequence b64) {
                long bytes = b64.length() * 3L / 4;
                if (bytes > MAX_IMAGE_BYTES) {
                    note = imageTooLarge("Image (" + mime + ")", bytes);
                    continue;
                }
                out.put(mime, b64.toString());
            } else if (v instanceof CharSequence s && !mime.startsWith("image/")) {
                out.put(mime, text(s.toString()));
            } else {
                out.put(mime, v);
            }
        }
        if (note != null) {
            out.put("text/plain", out.containsKey("text/plain") ? out.get("text/plain") + "\n" + note : note);
        }
        return out;
    }
}

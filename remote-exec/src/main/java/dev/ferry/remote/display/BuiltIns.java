package dev.ferry.remote.display;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;

/** Ferry's built-in renderers, registered most general first. */
final class BuiltIns {
    private BuiltIns() {}

    static void registerAll(Renderers r) {
        r.register(CharSequence.class, s -> Map.of("text/plain", Limits.text(s.toString())));
        r.register(Number.class, n -> Map.of("text/plain", String.valueOf(n)));
        r.register(Collection.class, c -> Map.of("text/plain", Text.plain(c)));
        r.register(Map.class, m -> Map.of("text/plain", Text.plain(m)));
        r.register(Object[].class, a -> Map.of("text/plain", Text.plain(a)));
        for (Class<?> p : new Class<?>[] {int[].class, long[].class, double[].class, float[].class, short[].class,
                byte[].class, char[].class, boolean[].class}) {
            r.register(p, a -> Map.of("text/plain", Text.plain(a)));
        }
        // tables, all by arrow-io's one renderer (Tables): a record as a one-row table; a collection or array of
        // records of one class; a map of equally long column lists; Arrow tables (%%sql results, out= bindings)
        r.register(Record.class, Tables::single);
        r.register(Collection.class, c -> Tables.rowsOrNull(c));
        r.register(Object[].class, a -> Tables.rowsOrNull(java.util.Arrays.asList(a)));
        r.register(Map.class, m -> Tables.columnsOrNull(m));
        r.register(dev.ferry.arrow.Table.class, Tables::table);
        // secrets: masked (name and keys only, never values)
        r.register(dev.ferry.Secret.class, s -> Map.of("text/plain", s.toString(),
                "text/html", "<code>" + Text.html(s.toString()) + "</code>"));
        r.register(BufferedImage.class, Images::of);
        r.register(Path.class, Images::fileOrNull);
        r.register(File.class, f -> Images.fileOrNull(f.toPath()));
        try {
            Charts.register(r);
        } catch (LinkageError e) {
            // XChart is not on the class path: charts are shown as text
        }
    }
}

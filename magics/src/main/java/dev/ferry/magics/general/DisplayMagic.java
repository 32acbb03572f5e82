package dev.ferry.magics.general;

import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicSpec;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code %%html}, {@code %%markdown}, {@code %%javascript}: shows the cell body as that MIME type. */
final class DisplayMagic implements Magic {
    private final MagicSpec spec;
    private final String mime;
    private final String plain;

    private DisplayMagic(MagicSpec spec, String mime, String plain) {
        this.spec = spec;
        this.mime = mime;
        this.plain = plain;
    }

    static DisplayMagic html() {
        return new DisplayMagic(MagicSpec.builder("html", MagicSpec.Kind.CELL)
            .summary("Show the cell body as HTML (text/html)").build(), "text/html", null);
    }

    static DisplayMagic markdown() {
        return new DisplayMagic(MagicSpec.builder("markdown", MagicSpec.Kind.CELL)
            .summary("Show the cell body as Markdown (text/markdown)").build(), "text/markdown", null);
    }

    static DisplayMagic javascript() {
        return new DisplayMagic(MagicSpec.builder("javascript", MagicSpec.Kind.CELL).alias("js")
            .summary("Run the cell body as JavaScript in the front end (application/javascript)").build(),
            "application/javascript", "<Javascript>");
    }

    @Override
    public MagicSpec spec() {
        return spec;
    }

    @Override
    public Object execute(MagicContext ctx) {
        Map<String, Object> bundle = new LinkedHashMap<>();
        bundle.put(mime, ctx.body());
        bundle.put("text/plain", plain != null ? plain : ctx.body());
        ctx.display(bundle);
        return null;
    }
}

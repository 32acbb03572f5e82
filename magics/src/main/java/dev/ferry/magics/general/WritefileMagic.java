package dev.ferry.magics.general;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** {@code %%writefile [-a] PATH}: writes (or appends) the cell body to a file, like IPython. */
final class WritefileMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("writefile", MagicSpec.Kind.CELL)
        .summary("Write the cell body to a file")
        .arg(ArgSpec.flag("append").shortName('a').help("append instead of overwriting"))
        .arg(ArgSpec.positional("path", ArgSpec.Type.STRING).required().help("file to write (relative to %pwd)")
            .example("Hello.java"))
        .details("""
            Prints "Writing PATH", "Overwriting PATH" or "Appending to PATH" as IPython does. The body is
            written as UTF-8, ending with a newline; missing parent directories are created.""")
        .build();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        JavaSession session = Common.session(ctx, "%%writefile");
        String given = ctx.args().getString("path");
        Path path = Common.resolve(session, given);
        boolean append = ctx.args().getBool("append");
        if (Files.isDirectory(path)) {
            throw new MagicException("%%writefile: " + given + " is a directory; name a file");
        }
        boolean exists = Files.exists(path);
        String body = ctx.body();
        if (!body.isEmpty() && !body.endsWith("\n")) {
            body += "\n";
        }
        ctx.stdout((append ? "Appending to " : exists ? "Overwriting " : "Writing ") + given + "\n");
        try {
            if (path.getParent() != null) {
                Files.createDirectories(path.getParent());
            }
            if (append) {
                Files.writeString(path, body, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            } else {
                Files.writeString(path, body, StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new MagicException("%%writefile: cannot write " + path + ": " + e.getMessage());
        }
        return null;
    }
}

package dev.ferry.magics.general;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code %load PATH}: reads a Java file and runs it in the session (as IJava's %load does). */
final class LoadMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("load", MagicSpec.Kind.LINE)
        .summary("Run the Java code of a file in the session")
        .arg(ArgSpec.positional("path", ArgSpec.Type.STRING).required().help("Java file (relative to %pwd)")
            .example("Util.java"))
        .details("""
            Unlike IPython's %load, which pastes the file into the cell, this RUNS the file's code in the
            session now, as IJava's %load does: its classes, methods and variables are defined for the
            next cells, and the value of a final expression is the cell's result.""")
        .build();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        JavaSession session = Common.session(ctx, "%load");
        String given = ctx.args().getString("path");
        Path path = Common.resolve(session, given);
        if (!Files.isRegularFile(path)) {
            throw new MagicException("%load: no such file: " + given + (given.equals(path.toString()) ? "" : " (" + path + ")"));
        }
        String code;
        try {
            code = Files.readString(path);
        } catch (IOException e) {
            throw new MagicException("%load: cannot read " + path + ": " + e.getMessage());
        }
        return code.isBlank() ? null : session.run(code);
    }
}

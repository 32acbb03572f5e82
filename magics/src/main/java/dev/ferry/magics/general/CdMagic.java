package dev.ferry.magics.general;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import java.nio.file.Files;
import java.nio.file.Path;

/** {@code %cd [DIR]}: changes the session's directory (no DIR: home; {@code -}: the previous one). */
final class CdMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("cd", MagicSpec.Kind.LINE)
        .summary("Change the session's working directory")
        .arg(ArgSpec.positional("dir", ArgSpec.Type.STRING).help("directory; none: home; -: the previous one")
            .example("data"))
        .details("""
            The directory is where %%bash runs and what relative paths of magics (%%writefile, %load)
            start from. Java's own current directory (new File("x")) cannot change inside a JVM.""")
        .build();

    private volatile Path previous;

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        JavaSession session = Common.session(ctx, "%cd");
        String dir = ctx.args().getString("dir");
        Path target;
        if (dir == null || dir.isBlank()) {
            target = Path.of(dev.ferry.spi.FerryEnv.current().userHome());
        } else if (dir.equals("-")) {
            if (previous == null) {
                throw new MagicException("%cd -: there is no previous directory yet");
            }
            target = previous;
        } else {
            target = Common.resolve(session, dir);
        }
        if (!Files.isDirectory(target)) {
            throw new MagicException("%cd: no such directory: " + (dir == null ? target : dir));
        }
        previous = session.directory();
        session.directory(target);
        ctx.stdout(session.directory() + "\n");
        return null;
    }
}

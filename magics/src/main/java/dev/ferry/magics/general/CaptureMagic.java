package dev.ferry.magics.general;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * {@code %%capture [NAME]}: runs the body with its standard output and error captured instead of shown,
 * and binds NAME to a {@link Captured} ({@code NAME.stdout()}, {@code NAME.stderr()}, {@code NAME.show()}).
 * The magic runs in the worker JVM, so it swaps {@code System.out}/{@code System.err} for the run.
 */
final class CaptureMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("capture", MagicSpec.Kind.CELL)
        .summary("Run the cell, capturing its stdout and stderr into a variable")
        .arg(ArgSpec.positional("name", ArgSpec.Type.STRING).help("variable to bind the Captured output to")
            .example("out"))
        .arg(ArgSpec.flag("no-stdout").help("do not capture stdout (it is shown as usual)"))
        .arg(ArgSpec.flag("no-stderr").help("do not capture stderr (it is shown as usual)"))
        .details("""
            Example:
              %%capture out
              System.out.println("quiet");
            then out.stdout() is "quiet\\n"; out.stderr() is stderr; out.show() prints both again.
            Without NAME the output is discarded. Rich displays (display(...), %%html) are still shown;
            only the text streams are captured. A final expression's value is not shown.""")
        .build();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        JavaSession session = Common.session(ctx, "%%capture");
        String name = ctx.args().getString("name");
        if (name != null && !Common.isIdentifier(name)) {
            throw new MagicException("%%capture: '" + name + "' is not a Java variable name");
        }
        boolean out = !ctx.args().getBool("no-stdout");
        boolean err = !ctx.args().getBool("no-stderr");
        ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
        ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        oldOut.flush();
        oldErr.flush();
        RuntimeException failure = null;
        try {
            if (out) {
                System.setOut(new PrintStream(outBytes, true, StandardCharsets.UTF_8));
            }
            if (err) {
                System.setErr(new PrintStream(errBytes, true, StandardCharsets.UTF_8));
            }
            if (!ctx.body().isBlank()) {
                session.run(ctx.body());
            }
        } catch (RuntimeException e) {
            failure = e;
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
        if (name != null) {
            Captured.bind(session, name, new Captured(outBytes.toString(StandardCharsets.UTF_8),
                errBytes.toString(StandardCharsets.UTF_8)));
        }
        if (failure != null) {
            throw failure;
        }
        return null;
    }
}

package dev.ferry.magics.general;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code %%bash} and {@code %%sh}: runs the cell body with the shell (the body on its stdin, like IPython),
 * in the session's directory with the {@code %env} overlay. Output streams to the cell line by line while
 * the script runs; a non-zero exit is an error that shows the code; an interrupt ends the process tree.
 */
final class ShellMagic implements Magic {
    private final MagicSpec spec;
    private final String shell;

    ShellMagic(String name, String shell) {
        this.shell = shell;
        this.spec = MagicSpec.builder(name, MagicSpec.Kind.CELL)
            .summary("Run the cell with " + shell + " (output streams as it runs)")
            .arg(ArgSpec.keyword("out", ArgSpec.Type.STRING)
                .help("keep stdout in this String variable instead of showing it").example("listing"))
            .arg(ArgSpec.keyword("err", ArgSpec.Type.STRING)
                .help("keep stderr in this String variable instead of showing it").example("errors"))
            .arg(ArgSpec.flag("no-raise-error").help("a non-zero exit is not an error"))
            .details("""
                The body goes to the shell's standard input; the working directory is the session's (%cd)
                and the environment includes what %env NAME=VALUE set. Output is shown line by line while
                the script runs. A non-zero exit status ends the cell with an error that shows the code
                (unless --no-raise-error). Interrupting the cell ends the script and its children.
                Example:
                  %%bash
                  echo "hello from $0"; ls | head -3""")
            .build();
    }

    @Override
    public MagicSpec spec() {
        return spec;
    }

    @Override
    public Object execute(MagicContext ctx) throws Exception {
        String magic = "%%" + spec.name();
        JavaSession session = Common.session(ctx, magic);
        String outVar = ctx.args().getString("out");
        String errVar = ctx.args().getString("err");
        for (String v : new String[] {outVar, errVar}) {
            if (v != null && !Common.isIdentifier(v)) {
                throw new MagicException(magic + ": '" + v + "' is not a Java variable name");
            }
        }
        if (!Files.isDirectory(session.directory())) {
            throw new MagicException(magic + ": the working directory " + session.directory() + " does not exist; %cd to another");
        }
        ProcessBuilder pb = new ProcessBuilder(shell);
        pb.directory(session.directory().toFile());
        pb.environment().putAll(EnvMagic.overlay());
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new MagicException(magic + ": cannot start " + shell + ": " + e.getMessage());
        }
        StringBuilder outText = new StringBuilder();
        StringBuilder errText = new StringBuilder();
        Thread outPump = pump(p.getInputStream(), outVar == null ? ctx::stdout : append(outText), spec.name() + "-out");
        Thread errPump = pump(p.getErrorStream(), errVar == null ? ctx::stderr : append(errText), spec.name() + "-err");
        Thread feeder = new Thread(() -> {
            try (OutputStream in = p.getOutputStream()) {
                String body = ctx.body();
                in.write((body.endsWith("\n") ? body : body + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the script ended without reading all of itself
            }
        }, "ferry-" + spec.name() + "-in");
        feeder.setDaemon(true);
        feeder.start();
        int code;
        try {
            while (!p.waitFor(50, TimeUnit.MILLISECONDS)) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
            }
            code = p.exitValue();
            outPump.join(2000);
            errPump.join(2000);
        } catch (InterruptedException e) {
            destroy(p);
            outPump.join(500);
            errPump.join(500);
            Thread.currentThread().interrupt();
            throw new MagicException(magic + " was interrupted; the script and its children were ended");
        }
        if (outVar != null) {
            Captured.bind(session, outVar, outText.toString());
        }
        if (errVar != null) {
            Captured.bind(session, errVar, errText.toString());
        }
        if (code != 0 && !ctx.args().getBool("no-raise-error")) {
            throw new MagicException(magic + " failed: the script exited with code " + code
                + (code > 128 && code < 160 ? " (killed by signal " + (code - 128) + ")" : ""));
        }
        return null;
    }

    private static Consumer<String> append(StringBuilder sb) {
        return s -> {
            synchronized (sb) {
                sb.append(s);
            }
        };
    }

    /** Ends the script's process tree: politely, then by force. */
    static void destroy(Process p) {
        p.descendants().forEach(ProcessHandle::destroy);
        p.destroy();
        try {
            if (!p.waitFor(500, TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Copies a stream to {@code sink} a line at a time (a last line without a newline at the end). */
    static Thread pump(InputStream stream, Consumer<String> sink, String name) {
        Thread t = new Thread(() -> {
            try (Reader r = new InputStreamReader(stream, StandardCharsets.UTF_8)) {
                StringBuilder line = new StringBuilder();
                char[] buf = new char[8192];
                int n;
                while ((n = r.read(buf)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        line.append(buf[i]);
                        if (buf[i] == '\n') {
                            sink.accept(line.toString());
                            line.setLength(0);
                        }
                    }
                    if (line.length() > 0 && !r.ready()) { // a prompt or progress without a newline yet
                        sink.accept(line.toString());
                        line.setLength(0);
                    }
                }
                if (line.length() > 0) {
                    sink.accept(line.toString());
                }
            } catch (IOException e) {
                // the process was destroyed
            }
        }, "ferry-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}

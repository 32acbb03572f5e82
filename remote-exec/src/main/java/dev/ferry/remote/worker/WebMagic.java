package dev.ferry.remote.worker;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.CellFailedException;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;
import dev.ferry.magics.ParsedArgs;
import dev.ferry.magics.maven.MavenMagics;

import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code %%web name=NAME}: a cell whose value is a Javalin app built with Javalin's own API (Modal's
 * {@code asgi_app}). The cell runs here (so it compiles and builds the app, which is not started) and the app is
 * declared ({@link WebApps}) for {@code %deploy}, which serves it on the Ferry server at
 * {@code http://HOST:PORT/<app>/<name>/}.
 */
final class WebMagic implements Magic {
    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    static final String JAVALIN_COORDINATES = "io.javalin:javalin:7.2.3";

    static final MagicSpec SPEC = MagicSpec.builder("web", MagicSpec.Kind.CELL)
            .summary("Declare a web app: the cell's value is an io.javalin.Javalin that %deploy serves on the Ferry server")
            .arg(ArgSpec.keyword("name", ArgSpec.Type.STRING).required()
                    .help("the app's name in its URL: http://HOST:PORT/<app>/<name>/ (lower case, digits, '-')").example("api"))
            .arg(ArgSpec.keyword("auth", ArgSpec.Type.BOOL)
                    .help("requests need Authorization: Bearer <the app's web token> (default false)").example("true"))
            .details("""
                    The cell builds a Javalin app with Javalin's own API and ends with it as its value; do not start \
                    it. Javalin is not on the worker's class path: bring it first with
                      %maven io.javalin:javalin:7.2.3
                    Example:
                      %%web name=api
                      Javalin.create(config -> config.routes.get("/hello", ctx -> ctx.result("hi")))
                    %deploy serves it on the Ferry server in a worker of its own: GET http://127.0.0.1:7471/<app>/api/hello.""")
            .build();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) throws Exception {
        ParsedArgs a = ctx.args();
        String name = a.getString("name");
        if (!NAME.matcher(name).matches()) {
            throw new MagicException("name=" + name + " cannot be part of a URL: use lower-case letters, digits and '-'"
                    + " (at most 63, starting with a letter or digit), e.g. name=api");
        }
        WorkerJavaSession session = (WorkerJavaSession) JavaSession.of(ctx, "%%web");
        List<String> declarations = session.declarations();
        Object value;
        try {
            value = session.run(ctx.body());
        } catch (CellFailedException e) {
            if (e.getMessage() != null && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("javalin") && !javalinLoads()) {
                throw new MagicException("%%web needs Javalin, and it is not on the class path: run %maven "
                        + JAVALIN_COORDINATES + " in a cell before this one (" + firstLine(e.getMessage()) + ")");
            }
            throw e;
        }
        if (!WebApps.isJavalin(value)) {
            throw new MagicException("a %%web cell's value must be the io.javalin.Javalin app it builds, for example"
                    + " Javalin.create(config -> config.routes.get(\"/\", ctx -> ctx.result(\"hi\"))) as its last line"
                    + " (no ';', not started); this cell's value is "
                    + (value == null ? "nothing" : "a " + value.getClass().getName()));
        }
        WebApps.declare(new WebApps.Declared(name, ctx.body(), declarations, MavenMagics.requested(),
                a.has("auth") && a.getBool("auth"), value));
        ctx.stdout("web app '" + name + "' declared: %deploy APP serves it at http://HOST:PORT/APP/" + name + "/\n");
        return null;
    }

    private static boolean javalinLoads() {
        try {
            Class.forName(WebApps.JAVALIN, false, Thread.currentThread().getContextClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** The provider that registers {@code %%web} with the worker's magics. */
    public static final class Provider implements dev.ferry.magics.MagicProvider {
        @Override
        public List<Magic> magics() {
            return List.of(new WebMagic());
        }
    }
}

package dev.ferry.remote.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * {@code %deploy NAME} and {@code %serve NAME}: send the functions this session declared with {@code %%function}
 * (their declarations, schedules and web endpoints) to the Ferry server as the app NAME. A deployed app keeps
 * running after the kernel is gone; a served one ends with the kernel and is re-registered at each
 * {@code %%function} cell run (docs/apps.md).
 */
final class DeployMagic implements Magic {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss z");
    private final boolean serve;

    private DeployMagic(boolean serve) {
        this.serve = serve;
    }

    private static MagicSpec spec(boolean serve) {
        MagicSpec.Builder b = MagicSpec.builder(serve ? "serve" : "deploy", MagicSpec.Kind.LINE)
                .summary(serve ? "Serve this session's functions as an app that ends with the kernel"
                        : "Deploy this session's functions as an app that outlives the notebook")
                .arg(ArgSpec.positional("name", ArgSpec.Type.STRING).required()
                        .help("the app's name (letters, digits, - and _), e.g. job-queue").example("job-queue"));
        if (!serve) {
            b.arg(ArgSpec.flag("replace").help("replace an app of that name deployed from a file"));
        }
        return b.details(serve ? """
                Sends every function declared with %%function (with its schedule= and web= options and the \
                notebook's declarations) to the Ferry server as an ephemeral app: its schedules fire and its \
                endpoints answer while this kernel runs; it stops when the kernel ends. Each later %%function \
                cell run re-registers it (same app id).
                Example:
                  %serve job-queue-dev"""
                : """
                Sends every function declared with %%function (with its schedule= and web= options and the \
                notebook's declarations) to the Ferry server as the app NAME. It keeps running after this \
                kernel ends; deploying again replaces it (same app id, the next version) without dropping \
                calls already accepted. Call it from anywhere with Function.fromName(NAME, "function"); \
                ferry app list, ferry app logs NAME, ferry app stop NAME.
                Example:
                  %deploy job-queue""").build();
    }

    @Override
    public MagicSpec spec() {
        return spec(serve);
    }

    @Override
    public Object execute(MagicContext ctx) {
        String name = ctx.args().getString("name");
        WorkerJavaSession session = (WorkerJavaSession) JavaSession.of(ctx, serve ? "%serve" : "%deploy");
        if (AppFunctions.all().isEmpty() && WebApps.declared().isEmpty()) {
            throw new MagicException((serve ? "%serve " : "%deploy ") + name + ": this session declared no functions and no %%web apps;"
                    + " declare them first with %%function (or %%web), e.g.\n" + FunctionCell.EXAMPLE);
        }
        boolean replace = !serve && ctx.args().has("replace") && ctx.args().getBool("replace");
        JsonObject info = deploy(name, serve, replace, session);
        ctx.stdout(describe(info, serve));
        if (serve) {
            AppFunctions.serve(name, app -> {
                JsonObject again = deploy(app, true, false, session);
                System.out.println("%serve: re-registered " + app + " (version " + again.get("version").getAsInt() + ")");
            });
        }
        return null;
    }

    private static JsonObject deploy(String name, boolean ephemeral, boolean replace, WorkerJavaSession session) {
        String source = System.getProperty("ferry.app.source", "notebook");
        JsonObject req = AppFunctions.request(name, ephemeral, replace, source, session.declarations());
        return WorkerFunctions.call("app.deploy", req, new byte[0], 120_000).value().getAsJsonObject();
    }

    /** What a deploy prints: the app id and version, each function with its schedule's next run and its URL. */
    static String describe(JsonObject info, boolean serve) {
        StringBuilder b = new StringBuilder();
        String name = info.get("name").getAsString();
        b.append(serve ? "Serving " : "Deployed ").append(name).append(" (").append(info.get("appId").getAsString())
                .append(", version ").append(info.get("version").getAsInt()).append(")")
                .append(serve ? ": it stops when this " + owner() + " ends\n"
                        : ": it runs on the Ferry server after this " + owner() + " ends\n");
        for (JsonElement e : info.getAsJsonArray("functions")) {
            JsonObject f = e.getAsJsonObject();
            b.append("  ").append(f.get("name").getAsString());
            String schedule = f.get("schedule").getAsString();
            if (!schedule.isEmpty()) {
                b.append("  ").append(schedule);
                long next = f.get("nextRunMs").getAsLong();
                if (next > 0) {
                    b.append(", next run ").append(WHEN.format(Instant.ofEpochMilli(next).atZone(ZoneId.systemDefault())));
                }
            }
            String url = f.get("url").getAsString();
            if (!url.isEmpty()) {
                b.append("  ").append(url);
            }
            b.append('\n');
        }
        for (JsonElement e : info.getAsJsonArray("webApps")) {
            JsonObject w = e.getAsJsonObject();
            b.append("  %%web ").append(w.get("name").getAsString());
            if (!w.get("url").getAsString().isEmpty()) {
                b.append("  ").append(w.get("url").getAsString());
            }
            b.append('\n');
        }
        b.append("Call it with Function.fromName(\"").append(name).append("\", \"")
                .append(info.getAsJsonArray("functions").isEmpty() ? "fn"
                        : info.getAsJsonArray("functions").get(0).getAsJsonObject().get("name").getAsString())
                .append("\"); logs: ferry app logs ").append(name).append("; stop: ferry app stop ").append(name).append('\n');
        return b.toString();
    }

    /** What an ephemeral app ends with: the kernel, or the ferry command that runs an app file. */
    private static String owner() {
        return System.getProperty("ferry.app.source") == null ? "kernel" : "ferry command";
    }

    /** Registers {@code %deploy} and {@code %serve} with the worker's magics. */
    public static final class Provider implements dev.ferry.magics.MagicProvider {
        @Override
        public List<Magic> magics() {
            return List.of(new DeployMagic(false), new DeployMagic(true));
        }
    }
}

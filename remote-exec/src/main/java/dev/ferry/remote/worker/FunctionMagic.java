package dev.ferry.remote.worker;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.CellFailedException;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;
import dev.ferry.magics.ParsedArgs;
import dev.ferry.spi.FunctionSpec;

import javax.lang.model.SourceVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code %%function}: declares the cell's one method in the notebook (so {@code square(3)} runs here) and binds
 * a {@link dev.ferry.Function} of the same name, whose calls the Ferry server runs in workers
 * ({@code square.remote(7)}, {@code square.spawn(7)}, {@code square.map(inputs)}).
 */
final class FunctionMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("function", MagicSpec.Kind.CELL)
            .summary("Declare the cell's method as a function the Ferry server runs in workers (square.remote(7))")
            .arg(ArgSpec.keyword("name", ArgSpec.Type.STRING)
                    .help("the variable the handle is bound to (default: the method's name)").example("sq"))
            .arg(ArgSpec.keyword("timeout", ArgSpec.Type.INT).range(1, 24 * 3600)
                    .help("seconds per attempt (default 300)").example("600"))
            .arg(ArgSpec.keyword("retries", ArgSpec.Type.INT).range(0, 10)
                    .help("attempts after a failed one, done by the server: 1 s apart, or backed off with backoff=,"
                            + " initial_delay=, max_delay=").example("3"))
            .arg(ArgSpec.keyword("backoff", ArgSpec.Type.DOUBLE).range(1.0, 10.0)
                    .help("the backoff coefficient between retries (default 2.0 once any backoff option is given)").example("2.0"))
            .arg(ArgSpec.keyword("initial_delay", ArgSpec.Type.DOUBLE).range(0, 60)
                    .help("seconds before the first retry (default 1)").example("0.5"))
            .arg(ArgSpec.keyword("max_delay", ArgSpec.Type.DOUBLE).range(1, 60)
                    .help("the longest delay between retries, in seconds (default 60)").example("30"))
            .arg(ArgSpec.keyword("min_containers", ArgSpec.Type.INT).range(0, 100)
                    .help("warm workers kept even when idle, started now (default 0)").example("1"))
            .arg(ArgSpec.keyword("max_containers", ArgSpec.Type.INT).range(1, 1000)
                    .help("the most workers at once; further calls wait in line (default: no cap of its own)").example("4"))
            .arg(ArgSpec.keyword("buffer_containers", ArgSpec.Type.INT).range(0, 100)
                    .help("extra idle workers kept while calls run (default 0)").example("1"))
            .arg(ArgSpec.keyword("scaledown_window", ArgSpec.Type.INT).range(1, 24 * 3600)
                    .help("seconds an idle worker is kept before it stops (default 60)").example("300"))
            .arg(ArgSpec.keyword("max_inputs", ArgSpec.Type.INT).range(1, 1_000_000)
                    .help("inputs a worker runs before it is retired (default: no limit; 1: a fresh worker per call)").example("1"))
            .arg(ArgSpec.keyword("engine", ArgSpec.Type.STRING)
                    .help("where calls run: process (the only engine for functions today)").example("process"))
            .arg(ArgSpec.keyword("env", ArgSpec.Type.KEY_VALUES).help("environment variables of the workers")
                    .example("K=V,K2=V2"))
            .arg(ArgSpec.keyword("schedule", ArgSpec.Type.STRING)
                    .help("once deployed (%deploy), the server runs it by itself: \"cron 0 9 * * * Europe/Paris\" or \"every 5m\"")
                    .example("\"every 5m\""))
            .arg(ArgSpec.keyword("web", ArgSpec.Type.STRING)
                    .help("once deployed, an HTTP endpoint: the JSON body's fields are the arguments, e.g. \"POST /square\"")
                    .example("\"POST /square\""))
            .details("""
                    The cell holds exactly one method declaration. It is declared here as usual, and a variable \
                    of the same name holds a Function handle: square.remote(7) runs the method in a fresh worker \
                    process and returns its value, square.spawn(7) returns a FunctionCall (id(), get(), \
                    get(Duration), cancel(), status(); FunctionCall.fromId(id) in another kernel), \
                    square.map(List) and square.starmap(List<List<?>>) return the values in input order, \
                    square.remoteAsync(7) a CompletableFuture. A worker stays warm for later calls (60 s idle \
                    by default). The notebook's imports, types and methods go with it; arguments and values travel in the store's codec. Calls and results live on the \
                    Ferry server (ferry server status), 7 days.
                    Example:
                      %%function timeout=60 retries=2
                      int square(int x) { return x * x; }""")
            .build();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) throws Exception {
        ParsedArgs a = ctx.args();
        String engine = a.has("engine") ? a.getString("engine") : "process";
        if (!engine.equals("process")) {
            throw new MagicException("engine=" + engine + ": function calls run only on the process engine today (each"
                    + " call in a worker process on this machine); leave engine= out or write engine=process. %%remote"
                    + " runs a cell in a container.");
        }
        WorkerJavaSession session = (WorkerJavaSession) JavaSession.of(ctx, "%%function");
        List<jdk.jshell.Snippet> snippets = session.parse(ctx.body());
        if (snippets.size() == 1 && snippets.get(0).kind() == jdk.jshell.Snippet.Kind.ERRONEOUS) {
            session.run(ctx.body()); // a method that does not compile: the compiler's error, with its line and caret
        }
        FunctionCell cell = FunctionCell.of(ctx.body(), snippets);
        String var = a.has("name") ? a.getString("name") : cell.name();
        if (!SourceVersion.isIdentifier(var) || SourceVersion.isKeyword(var) || var.equals("_")) {
            throw new MagicException("name=" + var + " is not a Java variable name");
        }
        List<String> declarations = new ArrayList<>();
        for (String d : session.declarations()) {
            if (!d.strip().equals(cell.source())) {
                declarations.add(d);
            }
        }
        String schedule = appOption(a, "schedule", cell);
        String web = appOption(a, "web", cell);
        session.run(ctx.body()); // declared here too: square(3) runs in the notebook
        MethodSignature sig = cell.signature();
        FunctionSpec spec = new FunctionSpec(cell.name(), cell.source(), declarations, sig.parameterTypes(),
                sig.parameterNames(), sig.returnType(), a.has("timeout") ? a.getInt("timeout") : 0,
                a.has("retries") ? a.getInt("retries") : 0, engine, a.has("env") ? a.getMap("env") : Map.of(),
                scaling(a), backoff(a));
        bind(session, var, cell.boxedReturnType(), dev.ferry.Function.of(spec));
        if (spec.scaling().minContainers() > 0) {
            try {
                dev.ferry.spi.FunctionRuntime.current().warm(spec);
            } catch (RuntimeException e) {
                System.err.println("min_containers=" + spec.scaling().minContainers() + ": the warm workers could not be started"
                        + " now (" + e.getMessage() + "); the first call starts them");
            }
        }
        AppFunctions.declare(new AppFunctions.Declared(spec, schedule, web));
        AppFunctions.declared(); // a %serve app is re-registered
        return null;
    }

    static FunctionSpec.Scaling scaling(ParsedArgs a) {
        int min = a.has("min_containers") ? a.getInt("min_containers") : 0;
        int max = a.has("max_containers") ? a.getInt("max_containers") : 0;
        if (max > 0 && min > max) {
            throw new MagicException("min_containers=" + min + " is more than max_containers=" + max
                    + ": give min_containers <= max_containers");
        }
        return new FunctionSpec.Scaling(min, max, a.has("buffer_containers") ? a.getInt("buffer_containers") : 0,
                a.has("scaledown_window") ? a.getInt("scaledown_window") : 0, a.has("max_inputs") ? a.getInt("max_inputs") : 0);
    }

    static FunctionSpec.Backoff backoff(ParsedArgs a) {
        List<String> given = new ArrayList<>();
        for (String k : List.of("backoff", "initial_delay", "max_delay")) {
            if (a.has(k)) {
                given.add(k + "=");
            }
        }
        if (given.isEmpty()) {
            return null;
        }
        if (!a.has("retries") || a.getInt("retries") == 0) {
            throw new MagicException(String.join(", ", given) + " set the delays between retries, and this function has none:"
                    + " add retries=N (1 to 10)");
        }
        FunctionSpec.Backoff m = FunctionSpec.Backoff.MODAL;
        return new FunctionSpec.Backoff(a.has("backoff") ? a.getDouble("backoff") : m.coefficient(),
                a.has("initial_delay") ? a.getDouble("initial_delay") : m.initialDelayS(),
                a.has("max_delay") ? a.getDouble("max_delay") : m.maxDelayS());
    }

    /** The text of {@code schedule=} or {@code web=} ("" when absent), its shape checked now; the server checks the rest. */
    private static String appOption(ParsedArgs a, String name, FunctionCell cell) {
        if (!a.has(name)) {
            return "";
        }
        String v = a.getString(name).strip();
        if (name.equals("schedule")) {
            try {
                dev.ferry.Schedule.parse(v);
            } catch (dev.ferry.InvalidArgumentException e) {
                throw new MagicException(e.getMessage());
            }
            if (!cell.signature().parameterTypes().isEmpty()) {
                throw new MagicException("schedule= needs a method without parameters (the server calls it with none): "
                        + cell.name() + " takes " + cell.signature().parameterTypes().size());
            }
        } else if (!v.matches("(?i)(GET|POST|PUT|DELETE|PATCH)\\s+/\\S*(\\s+auth)?")) {
            throw new MagicException("web=\"" + v + "\" is not an endpoint: write the HTTP method and the path, e.g."
                    + " web=\"POST /square\" or web=\"GET /items/{id}\" (add ' auth' to require the app's token)");
        }
        return v;
    }

    /** Binds {@code var} to the handle, typed by the return type where that compiles (else {@code Object}). */
    private static void bind(WorkerJavaSession session, String var, String type, dev.ferry.Function<?> handle) {
        for (String t : List.of(type, "Object")) {
            String id = FunctionHandles.put(handle);
            try {
                session.run("dev.ferry.Function<" + t + "> " + var + " = " + FunctionHandles.class.getName() + ".take(\"" + id + "\");");
                return;
            } catch (CellFailedException e) {
                if (t.equals("Object")) {
                    throw e;
                }
            } finally {
                FunctionHandles.discard(id);
            }
        }
    }

    /** The provider that registers {@code %%function} with the worker's magics. */
    public static final class Provider implements dev.ferry.magics.MagicProvider {
        @Override
        public List<Magic> magics() {
            return List.of(new FunctionMagic());
        }
    }
}

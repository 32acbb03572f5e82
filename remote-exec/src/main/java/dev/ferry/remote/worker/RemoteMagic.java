package dev.ferry.remote.worker;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.Image;
import dev.ferry.Secret;
import dev.ferry.Volume;
import dev.ferry.arrow.ArrowIpc;
import dev.ferry.arrow.Table;
import dev.ferry.gpu.GpuSpec;
import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.CellFailedException;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;
import dev.ferry.magics.ParsedArgs;
import dev.ferry.storage.Codec;

import javax.lang.model.SourceVersion;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code %%remote}: runs the cell in a worker on an engine (a container built from an {@code Image}, or a
 * local process), through the kernel's control plane; {@code %remote ls|stop NAME|config engine=E}
 * manage sessions. The arguments are checked here, before anything starts.
 */
final class RemoteMagic implements Magic {
    /**
     * The least memory= a container's worker starts and runs a small cell with. Measured on the base image (JDK 17,
     * heap 75% of the limit): 112 and 120 MiB are killed at start, 128 MiB now and then, 136 MiB and up start.
     */
    static final long MIN_MEMORY_MIB = 160;
    static final MagicSpec SPEC = MagicSpec.builder("remote", MagicSpec.Kind.BOTH)
            .summary("Run the cell in a container (or a local worker process) built from an Image recipe")
            .arg(ArgSpec.positional("command", ArgSpec.Type.STRING).allowed("ls", "stop", "config").lineOnly()
                    .help("ls (sessions and containers), stop NAME, config engine=E"))
            .arg(ArgSpec.positional("name", ArgSpec.Type.STRING).lineOnly().help("the session for `%remote stop`"))
            .arg(ArgSpec.keyword("image", ArgSpec.Type.STRING).cellOnly()
                    .help("the name of a variable holding an Image (default: Image.debianSlim())").example("img"))
            .arg(ArgSpec.keyword("gpu", ArgSpec.Type.STRING).cellOnly().help("GPUs: " + GpuSpec.validNames()
                    + ", with :N counts and comma-separated fallbacks").example("H100:2"))
            .arg(ArgSpec.keyword("cpu", ArgSpec.Type.DOUBLE).cellOnly().range(0.01, 1024).help("CPU cores (limit)")
                    .example("2"))
            .arg(ArgSpec.keyword("memory", ArgSpec.Type.LONG).cellOnly().range(MIN_MEMORY_MIB, 16L * 1024 * 1024)
                    .help("memory limit in MiB; at least " + MIN_MEMORY_MIB + ", what a worker JVM needs to start")
                    .example("2048"))
            .arg(ArgSpec.keyword("timeout", ArgSpec.Type.INT).cellOnly().range(1, 7 * 24 * 3600)
                    .help("seconds before the cell is stopped").example("600"))
            .arg(ArgSpec.keyword("engine", ArgSpec.Type.STRING).allowed("docker", "process", "kubernetes")
                    .help("where it runs (default: %remote config, FERRY_ENGINE, docker when it answers, else process)"))
            .arg(ArgSpec.keyword("session", ArgSpec.Type.STRING).cellOnly()
                    .help("keep the container and its state under this name"))
            .arg(ArgSpec.keyword("in", ArgSpec.Type.LIST).cellOnly().help("variables sent by value").example("a,b"))
            .arg(ArgSpec.keyword("out", ArgSpec.Type.STRING).cellOnly().help("bind the tabular value here as a Table")
                    .example("t"))
            .arg(ArgSpec.keyword("env", ArgSpec.Type.KEY_VALUES).cellOnly().help("environment variables")
                    .example("K=V,K2=V2"))
            .arg(ArgSpec.keyword("network", ArgSpec.Type.STRING).cellOnly()
                    .help("none (default), host, or a named network").example("host"))
            .arg(ArgSpec.keyword("volumes", ArgSpec.Type.LIST).cellOnly().help("Volumes to mount: PATH:NAME")
                    .example("/data:ds"))
            .arg(ArgSpec.keyword("secrets", ArgSpec.Type.LIST).cellOnly()
                    .help("stored Secrets given as environment variables"))
            .details("""
                    The cell body runs in the remote worker with the notebook's imports, classes, records and \
                    methods; in= variables go by value (strings, numbers, booleans, byte arrays, lists and maps \
                    of those, records, Tables). Output streams back while it runs; the value comes back \
                    rendered, and with out=NAME a Table, list of records or ResultSet is bound as a Table.
                    Example:
                      var img = Image.debianSlim().aptInstall("git");
                      %%remote image=img cpu=2 memory=2048 timeout=600 out=t
                      ...""")
            .build();

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) throws Exception {
        ParsedArgs a = ctx.args();
        if (!ctx.isCell()) {
            return line(a);
        }
        JavaSession session = JavaSession.of(ctx, "%%remote");
        WorkerJavaSession ws = (WorkerJavaSession) session;
        JsonObject req = new JsonObject();
        req.addProperty("code", ctx.body());
        req.addProperty("cell", ws.cellNumber());
        copy(a, req, "engine", "session", "network");
        if (a.has("gpu")) {
            try {
                req.addProperty("gpu", GpuSpec.parse(a.getString("gpu")).toString());
            } catch (IllegalArgumentException e) {
                throw new MagicException("gpu=" + a.getString("gpu") + ": " + e.getMessage());
            }
        }
        if (a.has("cpu")) {
            req.addProperty("cpu", a.getDouble("cpu"));
        }
        if (a.has("memory")) {
            req.addProperty("memory", a.getLong("memory"));
        }
        if (a.has("timeout")) {
            req.addProperty("timeout", a.getInt("timeout"));
        }
        Map<String, JavaSession.Variable> vars = new LinkedHashMap<>();
        for (JavaSession.Variable v : session.variables()) {
            vars.put(v.name(), v);
        }
        if (a.has("image")) {
            req.addProperty("image", image(a.getString("image"), vars).toJson());
        }
        String out = a.getString("out");
        if (out != null && (!SourceVersion.isIdentifier(out) || SourceVersion.isKeyword(out) || out.equals("_"))) {
            throw new MagicException("out=" + out + " is not a Java variable name");
        }
        req.addProperty("capture", out != null);
        Map<String, String> env = new LinkedHashMap<>(a.has("env") ? a.getMap("env") : Map.of());
        if (a.has("secrets")) {
            for (String name : a.getList("secrets")) {
                try {
                    env.putAll(Secret.fromName(name).asEnv());
                } catch (RuntimeException e) {
                    throw new MagicException("secrets=" + name + ": " + e.getMessage());
                }
            }
        }
        JsonObject envJson = new JsonObject();
        env.forEach(envJson::addProperty);
        req.add("env", envJson);
        JsonArray volumes = new JsonArray();
        if (a.has("volumes")) {
            for (String m : a.getList("volumes")) {
                int colon = m.lastIndexOf(':');
                if (colon <= 0 || !m.startsWith("/") || colon == m.length() - 1) {
                    throw new MagicException("volumes=" + m + ": write PATH:NAME with an absolute path in the"
                            + " container, e.g. volumes=/data:my-dataset");
                }
                Volume vol = Volume.fromName(m.substring(colon + 1), true);
                volumes.add(vol.path().toAbsolutePath() + "=" + m.substring(0, colon));
            }
        }
        req.add("volumes", volumes);
        JsonArray decls = new JsonArray();
        ws.declarations().forEach(decls::add);
        req.add("declarations", decls);
        byte[] body = inputs(a, vars, req);
        KernelCalls.Answer answer;
        try {
            answer = KernelCalls.call("remote.run", req, body, 0);
        } catch (KernelCalls.CallFailed e) {
            throw new MagicException(e.getMessage());
        }
        return result(answer, out, session);
    }

    /** The Image in the variable that image= names; an expression or a missing variable is an error with an example. */
    static Image image(String name, Map<String, JavaSession.Variable> vars) {
        if (!SourceVersion.isIdentifier(name) || SourceVersion.isKeyword(name)) {
            throw new MagicException("image=" + name + ": image= takes the name of a variable holding an Image, not an"
                    + " expression; define the variable in a cell first, e.g. `var img = " + (name.startsWith("Image.")
                    ? name : "Image.debianSlim()") + ";`, then write `%%remote image=img`");
        }
        JavaSession.Variable v = vars.get(name);
        if (v == null) {
            throw new MagicException("image=" + name + ": no variable with that name; define it in a cell first,"
                    + " e.g. `var " + name + " = Image.debianSlim().aptInstall(\"git\");`, then write `%%remote image="
                    + name + "`");
        }
        if (!(v.value() instanceof Image img)) {
            throw new MagicException("image=" + name + ": the variable is a " + (v.value() == null ? "null" : v.type())
                    + ", not an Image; e.g. `var img = Image.debianSlim();`, then `%%remote image=img`");
        }
        return img;
    }

    private static void copy(ParsedArgs a, JsonObject req, String... names) {
        for (String n : names) {
            if (a.has(n)) {
                req.addProperty(n, a.getString(n));
            }
        }
    }

    /** The in= values, each length-prefixed: a Table as Arrow IPC, anything else in the storage codec. */
    private static byte[] inputs(ParsedArgs a, Map<String, JavaSession.Variable> vars, JsonObject req) throws IOException {
        JsonArray list = new JsonArray();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream data = new DataOutputStream(bytes);
        if (a.has("in")) {
            for (String name : a.getList("in")) {
                JavaSession.Variable v = vars.get(name);
                if (v == null) {
                    throw new MagicException("in=" + name + ": no variable with that name in the notebook");
                }
                JsonObject d = new JsonObject();
                d.addProperty("name", name);
                d.addProperty("type", v.type());
                byte[] encoded;
                if (v.value() instanceof Table t) {
                    d.addProperty("arrow", true);
                    encoded = ArrowIpc.toBytes(t);
                } else {
                    try {
                        encoded = Codec.encode(v.value());
                    } catch (RuntimeException e) {
                        throw new MagicException("in=" + name + " cannot be sent by value: " + e.getMessage());
                    }
                }
                data.writeInt(encoded.length);
                data.write(encoded);
                list.add(d);
            }
        }
        req.add("vars", list);
        return bytes.toByteArray();
    }

    private static Object result(KernelCalls.Answer answer, String out, JavaSession session) {
        JsonObject r = answer.value().getAsJsonObject();
        if (!"ok".equals(r.get("status").getAsString())) {
            throw new CellFailedException(r.has("evalue") ? r.get("evalue").getAsString() : "remote cell failed", r);
        }
        if (out != null) {
            if (r.has("captureError")) {
                throw new MagicException("out=" + out + ": " + r.get("captureError").getAsString());
            }
            Table t = ArrowIpc.fromBytes(answer.body());
            dev.ferry.storage.sql.Results.bind(session, out, t);
            return t;
        }
        if (r.has("data")) {
            return new RemoteValue(r.getAsJsonObject("data"));
        }
        return null;
    }

    private Object line(ParsedArgs a) {
        String command = a.has("command") ? a.getString("command") : "ls";
        JsonObject args = new JsonObject();
        switch (command) {
            case "stop" -> {
                if (!a.has("name")) {
                    throw new MagicException("%remote stop needs the session's name: %remote stop NAME");
                }
                args.addProperty("name", a.getString("name"));
            }
            case "config" -> {
                if (a.has("engine")) {
                    args.addProperty("engine", a.getString("engine"));
                }
            }
            default -> { }
        }
        JsonElement v;
        try {
            v = KernelCalls.call("remote." + command, args, 30_000);
        } catch (KernelCalls.CallFailed e) {
            throw new MagicException(e.getMessage());
        }
        System.out.print(v.getAsString().endsWith("\n") ? v.getAsString() : v.getAsString() + "\n");
        return null;
    }

    /** A value rendered in the remote worker: shown with the MIME bundle it came with. */
    record RemoteValue(JsonObject data) {
        static {
            dev.ferry.remote.display.Renderers.global().register(RemoteValue.class, RemoteValue::bundle);
        }

        Map<String, Object> bundle() {
            Map<String, Object> m = new LinkedHashMap<>();
            data.entrySet().forEach(e -> m.put(e.getKey(), e.getValue().isJsonPrimitive()
                    ? e.getValue().getAsString() : e.getValue()));
            return m;
        }

        @Override
        public String toString() {
            return data.has("text/plain") ? data.get("text/plain").getAsString() : data.toString();
        }
    }

    /** The provider that registers {@code %%remote} and {@code %gpu} with the worker's magics. */
    public static final class Provider implements dev.ferry.magics.MagicProvider {
        @Override
        public List<Magic> magics() {
            return List.of(new RemoteMagic(), new GpuMagic());
        }
    }
}

package dev.ferry.remote.worker;

import com.google.gson.JsonObject;
import dev.ferry.remote.protocol.Frame;
import dev.ferry.remote.protocol.FrameCodec;
import dev.ferry.remote.protocol.Ops;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The worker program: hosts a JShell session and speaks the frame protocol (docs/worker-protocol.md).
 * The same program runs as a local child process and (later) inside containers.
 *
 * <p>Usage: {@code WorkerMain [--protocol-fds]}. With {@code --protocol-fds} frames travel on descriptors
 * 3 (out) and 4 (in), and descriptors 1 and 2 carry raw output of child processes and native code; the
 * launcher arranges this with {@code sh -c 'exec java ... 3>&1 4<&0 1>&2 0</dev/null'}. Without it frames
 * use stdin/stdout (tests only: a child process writing to descriptor 1 would corrupt them).
 */
public final class WorkerMain {
    /** The system property naming Ferry's data directory (the store of Dict and Queue); set by the kernel. */
    public static final String DATA_DIR_PROPERTY = dev.ferry.storage.FerryDirs.DATA_DIR_PROPERTY;
    /** {@code -Dferry.store=kernel}: Dict and Queue go to the kernel's store through {@code store.*} calls. */
    public static final String STORE_PROPERTY = "ferry.store";
    public static final String STORE_KERNEL = "kernel";
    private final FrameCodec codec;
    private final OutputStream raw;
    private final CellIds cells = new CellIds();
    private final OutputChannel out;
    private final OutputChannel err;
    private final InputChannel in;
    private final java.util.concurrent.ThreadPoolExecutor shellThread = new java.util.concurrent.ThreadPoolExecutor(1, 1,
            0, TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(), r -> {
                Thread t = new Thread(r, "ferry-shell");
                t.setDaemon(true);
                return t;
            }) {
        @Override
        protected void afterExecute(Runnable r, Throwable t) {
            if (r != warmCheck) {
                lastRequest = System.nanoTime(); // quiet counts from the end of the last work, too
            }
        }
    };
    private final Runnable warmCheck = this::warmCompletionWhenQuiet;
    private volatile JShellHost host;
    /** When shell work last came or ended (nanoTime): the completion warm-up waits for a quiet moment. */
    private volatile long lastRequest = System.nanoTime();
    private volatile boolean completionWarm;
    private static final long QUIET_MS = 300;

    private WorkerMain(InputStream frameIn, OutputStream frameOut, OutputStream raw) {
        this.codec = new FrameCodec(frameIn, frameOut);
        this.raw = raw;
        this.out = new OutputChannel("stdout", codec, cells);
        this.err = new OutputChannel("stderr", codec, cells);
        this.in = new InputChannel(codec, cells, this::flushOutput);
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("--train")) {
            train();
            return;
        }
        ignoreSigint();
        boolean fds = args.length > 0 && args[0].equals("--protocol-fds");
        InputStream frameIn;
        OutputStream frameOut;
        OutputStream raw = null;
        Spare spare = null;
        if (args.length == 4 && args[0].equals("--spare")) { // started ahead for a later kernel (Spares)
            spare = new Spare(dev.ferry.remote.engine.Spares.open(java.nio.file.Path.of(args[1]), java.nio.file.Path.of(args[2])),
                    Long.parseLong(args[3]));
            frameIn = spare.side.in();
            frameOut = spare.side.out();
            raw = new FileOutputStream(FileDescriptor.out);
        } else if (fds) {
            frameIn = new FileInputStream("/proc/self/fd/4");
            frameOut = new FileOutputStream("/proc/self/fd/3");
            raw = new FileOutputStream(FileDescriptor.out);
        } else {
            frameIn = new FileInputStream(FileDescriptor.in);
            frameOut = new FileOutputStream(FileDescriptor.out);
        }
        WorkerMain w = new WorkerMain(frameIn, new java.io.BufferedOutputStream(frameOut, 1 << 16), raw);
        w.spare = spare;
        if (spare != null) {
            spare.waitForClaim();
        }
        w.run();
    }

    /**
     * A spare's wait for a kernel: it leaves after {@code idleSeconds} unclaimed; once claimed, its input ends
     * when the kernel does (and it also watches the kernel's pid).
     */
    private static final class Spare {
        final dev.ferry.remote.engine.Spares.Side side;
        final long idleSeconds;
        volatile boolean claimed;

        Spare(dev.ferry.remote.engine.Spares.Side side, long idleSeconds) {
            this.side = side;
            this.idleSeconds = idleSeconds;
        }

        void waitForClaim() {
            QUIET.schedule(this::idleOver, Math.max(1, idleSeconds), TimeUnit.SECONDS);
        }

        private void idleOver() {
            if (claimed) {
                return;
            }
            if (side.retire()) {
                Runtime.getRuntime().halt(0);
            }
            // a kernel renamed the directory first: its claim frame should follow; if it never does, leave
            QUIET.schedule(() -> {
                if (!claimed) {
                    Runtime.getRuntime().halt(0);
                }
            }, 30, TimeUnit.SECONDS);
        }

        void claim(Frame f) {
            claimed = true;
            side.claimed();
            long pid = f.header().has("pid") ? f.header().get("pid").getAsLong() : 0;
            if (pid > 1) {
                ProcessHandle.of(pid).ifPresentOrElse(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(0)),
                        () -> Runtime.getRuntime().halt(0));
            }
        }
    }

    private Spare spare;

    /**
     * Runs typical cells once and exits normally: run under {@code -XX:ArchiveClassesAtExit=worker.jsa},
     * it records the classes a session needs into a CDS archive that makes later workers start faster.
     */
    private static void train() {
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());
        PrintStream realOut = System.out;
        System.setOut(quiet);
        System.setErr(quiet);
        JShellHost h = new JShellHost();
        h.warmUp();
        h.warmUpCompletion();
        String[] cells = {
            "import java.util.*;\nrecord P(int x, String y) {}\nint twice(int a) { return 2 * a; }\nvar l = List.of(new P(1, \"a\"));\nl",
            "System.out.println(\"hi\"); 1 + 1",
            "int x = \"s\";",
            "throw new IllegalStateException(\"boom\")",
            "Map<String, Integer> m = new HashMap<>(); m.put(\"a\", 1); m",
            "for (int i = 0; i < 3; i++) { System.out.print(i); }",
        };
        for (int i = 0; i < cells.length; i++) {
            h.execute(cells[i], i + 1);
        }
        h.complete("List.of(1).str", 14);
        try {
            dev.ferry.magics.maven.MavenMagics.train(); // the resolver's classes, offline
        } catch (RuntimeException | LinkageError e) {
            // training is best effort
        }
        h.inspect("String.valueOf", 14, 0);
        h.isComplete("int n = 1;\nfor (int i = 0; i < 3; i++) {"); // also javac's parser (Completeness)
        realOut.println("trained");
        System.exit(0);
    }

    /** Jupyter may signal the whole process group; interrupts reach the worker as frames instead. */
    private static void ignoreSigint() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("INT"), sun.misc.SignalHandler.SIG_IGN);
        } catch (IllegalArgumentException e) {
            // no SIGINT on this platform
        }
    }

    private void run() throws IOException {
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        System.setIn(in);
        Displays.connect(codec, cells, this::flushOutput);
        dev.ferry.spi.FerryEnv fe = dev.ferry.spi.FerryEnv.ofProcess(); // the worker's one read of its environment
        dev.ferry.spi.FerryEnv.install(fe);
        String dataDir = fe.property(DATA_DIR_PROPERTY);
        if (STORE_KERNEL.equals(fe.property(STORE_PROPERTY))) { // in a container: the kernel's store, over frames
            dev.ferry.storage.Store.setDefault(new CallStore());
        } else if (dataDir != null && !dataDir.isBlank()) { // Dict and Queue: the kernel's store, shared by all kernels here
            dev.ferry.storage.Store.setDefaultLazily(
                    () -> dev.ferry.storage.SqliteStore.open(java.nio.file.Path.of(dataDir)));
        }
        KernelCalls.connect(codec);
        dev.ferry.spi.FunctionRuntime.install(new WorkerFunctions());
        dev.ferry.spi.Frontend.install(new WorkerFrontend());
        dev.ferry.spi.Storage.install(new dev.ferry.storage.LocalStorage());
        shellThread.execute(() -> {
            host = new JShellHost();
            host.warmUp();
            send(Frame.of(Ops.HELLO)
                    .with("pid", ProcessHandle.current().pid())
                    .with("java", Runtime.version().toString())
                    .with("rawSync", raw != null));
            if (spare != null) {
                spare.side.markReady();
            }
            lastRequest = System.nanoTime(); // the kernel may be about to send the cells it queued
            warmCompletionWhenQuiet();
        });
        while (true) {
            Frame f;
            try {
                f = codec.read();
            } catch (IOException e) {
                f = null;
            }
            if (f == null || f.op().equals(Ops.SHUTDOWN)) {
                flushOutput();
                Runtime.getRuntime().halt(0);
            }
            dispatch(f);
        }
    }

    /**
     * Warms completion up (~0.1-0.2 s of CPU in a cold worker) once no request has come for
     * {@value #QUIET_MS} ms, so that a first cell sent at start does not wait for it.
     */
    private void warmCompletionWhenQuiet() {
        if (completionWarm) {
            return;
        }
        long quietFor = (System.nanoTime() - lastRequest) / 1_000_000;
        if (quietFor < QUIET_MS || !shellThread.getQueue().isEmpty()) {
            QUIET.schedule(() -> shellThread.execute(warmCheck), QUIET_MS, TimeUnit.MILLISECONDS);
            return;
        }
        completionWarm = true;
        host.warmUpCompletion();
    }

    private static final java.util.concurrent.ScheduledExecutorService QUIET = WorkerThreads.scheduler("ferry-warm-up");

    private void dispatch(Frame f) {
        if (!f.op().equals(Ops.INTERRUPT) && !f.op().equals(Ops.CALL_REPLY) && !f.op().equals(Ops.INPUT_REPLY)
                && !f.op().equals(Ops.CLAIM)) {
            lastRequest = System.nanoTime();
        }
        switch (f.op()) {
            case Ops.INTERRUPT -> {
                in.cancel();
                JShellHost h = host;
                if (h != null) {
                    h.stop();
                }
            }
            case Ops.CALL_REPLY -> KernelCalls.answer(f);
            case Ops.CLAIM -> {
                if (spare != null) {
                    spare.claim(f);
                }
            }
            case Ops.INPUT_REPLY -> in.answer(f.header().get("rid").getAsLong(), f.str("value"));
            case Ops.EXECUTE -> shellThread.execute(() -> execute(f));
            case Ops.BIND -> shellThread.execute(() -> bind(f));
            case Ops.COMPLETE, Ops.INSPECT, Ops.IS_COMPLETE -> shellThread.execute(() -> analyse(f));
            case Ops.USER_EXPRESSIONS -> shellThread.execute(() -> send(Frame.of(Ops.REPLY, f.id()).with("status", "ok")
                    .with("values", UserExpressions.evaluate(host, f.header().getAsJsonObject("expressions")))));
            case Ops.COMM -> shellThread.execute(() -> comm(f));
            default -> send(Frame.of(Ops.REPLY, f.id()).with("status", "error")
                    .with("evalue", "unknown op '" + f.op() + "'"));
        }
    }

    private void execute(Frame f) {
        cells.set(f.id());
        in.newCell();
        JsonObject result;
        try {
            result = host.execute(f.str("code"), f.intOr("cell", 0));
        } catch (RuntimeException | Error e) {
            result = ErrorReport.error(e.getClass().getName(), String.valueOf(e.getMessage()),
                    java.util.List.of("worker failure: " + e));
        }
        byte[] body = new byte[0];
        if (f.bool("capture") && "ok".equals(result.get("status").getAsString())) {
            body = capture(result);
        }
        flushOutput();
        syncRaw(f.id());
        Frame r = Frame.of(Ops.RESULT, f.id()).withBody(body);
        result.entrySet().forEach(e -> r.header().add(e.getKey(), e.getValue()));
        send(r);
    }

    /**
     * A front end's comm message, run like a cell: the handler's output goes to the message, and an
     * exception it throws is shown on its stderr (as ipykernel logs it) instead of failing anything.
     */
    private void comm(Frame f) {
        cells.set(f.id());
        in.newCell();
        try {
            WorkerFrontend.receive(f.header());
        } catch (RuntimeException | Error e) {
            System.err.println("Exception in the handler of comm " + f.str("comm_id") + " (" + f.str("kind") + "): " + e);
            for (StackTraceElement el : e.getStackTrace()) {
                if (el.getClassName().startsWith("dev.ferry.") || el.getClassName().startsWith("java.")) {
                    break;
                }
                System.err.println("\tat " + el);
            }
        }
        flushOutput();
        syncRaw(f.id());
        send(Frame.of(Ops.RESULT, f.id()).with("status", "ok"));
    }

    /** The cell's value as Arrow IPC bytes ({@code %%remote out=}); a value that is not tabular is noted. */
    private byte[] capture(JsonObject result) {
        Object v = host.lastValue();
        try {
            var bytes = Tabular.arrowBytes(v);
            if (bytes.isPresent()) {
                result.addProperty("arrow", true);
                return bytes.get();
            }
            result.addProperty("captureError", "the cell's value is " + Tabular.describe(v)
                    + ", not a table: end the cell with an Arrow Table, a list of records or a ResultSet");
        } catch (java.sql.SQLException | RuntimeException | LinkageError e) {
            result.addProperty("captureError", "the cell's value could not become an Arrow table: " + e
                    + (e.getCause() != null ? " (" + e.getCause() + ")" : ""));
        } catch (OutOfMemoryError e) { // thrown by Java code (an array over 2 GiB): the worker itself is fine
            result.addProperty("captureError", "the table is too large to send in one piece (" + e.getMessage()
                    + "): return fewer rows or columns, or write it to a Volume and read it from there");
        }
        return new byte[0];
    }

    /** Binds values sent by value: header {@code vars} [{name, type, arrow}], body length-prefixed values. */
    private void bind(Frame f) {
        Frame r = Frame.of(Ops.REPLY, f.id());
        try {
            java.nio.ByteBuffer body = java.nio.ByteBuffer.wrap(f.body());
            for (var el : f.header().getAsJsonArray("vars")) {
                JsonObject v = el.getAsJsonObject();
                byte[] bytes = new byte[body.getInt()];
                body.get(bytes);
                String name = v.get("name").getAsString();
                Object value = v.has("arrow") && v.get("arrow").getAsBoolean()
                        ? dev.ferry.arrow.ArrowIpc.fromBytes(bytes) : dev.ferry.storage.Codec.decode(bytes);
                String type = v.has("type") ? v.get("type").getAsString() : "Object";
                String take = Inbox.class.getName() + ".take(\"" + name + "\")";
                Inbox.put(name, value);
                if (!host.runJava(type + " " + name + " = (" + type + ") " + take + ";", 0, 1).ok()) {
                    Inbox.put(name, value); // the declared type is not known here: bind it as what it is
                    var untyped = host.runJava("var " + name + " = " + take + ";", 0, 1);
                    if (!untyped.ok()) {
                        throw new IllegalStateException("cannot bind '" + name + "': " + untyped.error());
                    }
                }
            }
            r.with("status", "ok");
        } catch (RuntimeException e) {
            r.with("status", "error").with("evalue", String.valueOf(e.getMessage()));
        }
        send(r);
    }

    private void analyse(Frame f) {
        JsonObject body;
        try {
            String code = f.str("code");
            switch (f.op()) {
                case Ops.COMPLETE -> {
                    int cursor = charIndex(code, f.intOr("cursor", code.codePointCount(0, code.length())));
                    body = host.complete(code, cursor);
                    body.addProperty("cursor_start", code.codePointCount(0, body.get("cursor_start").getAsInt()));
                    body.addProperty("cursor_end", code.codePointCount(0, body.get("cursor_end").getAsInt()));
                }
                case Ops.INSPECT -> body = host.inspect(code,
                        charIndex(code, f.intOr("cursor", code.codePointCount(0, code.length()))), f.intOr("detail", 0));
                default -> body = host.isComplete(code);
            }
            body.addProperty("status", "ok");
        } catch (RuntimeException e) {
            body = ErrorReport.error(e.getClass().getName(), String.valueOf(e.getMessage()), java.util.List.of());
        }
        Frame r = Frame.of(Ops.REPLY, f.id());
        body.entrySet().forEach(e -> r.header().add(e.getKey(), e.getValue()));
        send(r);
    }

    /** Jupyter counts cursor positions in code points; Java strings in chars. */
    static int charIndex(String s, int codePoints) {
        int cp = Math.max(0, Math.min(codePoints, s.codePointCount(0, s.length())));
        return s.offsetByCodePoints(0, cp);
    }

    private void flushOutput() {
        System.out.flush(); // the PrintStream's own buffer first
        System.err.flush();
        out.drain();
        err.drain();
    }

    /** Marks the end of this cell's raw output, so the kernel shows it before the cell's reply. */
    private void syncRaw(long id) {
        if (raw == null) {
            return;
        }
        try {
            raw.write((Ops.RAW_SYNC_PREFIX + id + "\n").getBytes(StandardCharsets.UTF_8));
            raw.flush();
        } catch (IOException e) {
            // raw side closed: nothing to order
        }
    }

    private void send(Frame f) {
        try {
            codec.write(f);
        } catch (IOException e) {
            Runtime.getRuntime().halt(0); // the kernel is gone
        }
    }
}

package dev.ferry.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.ferry.client.FerryClient;
import dev.ferry.client.FrameCalls;
import dev.ferry.remote.Worker;
import dev.ferry.remote.WorkerEvent;
import dev.ferry.remote.engine.EngineException;
import dev.ferry.remote.engine.PlacementSpec;
import dev.ferry.remote.engine.ProcessEngine;
import dev.ferry.remote.engine.WorkerLaunch;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app file ({@code .jsh}: Ferry cells separated by {@code //%%} lines) or a notebook ({@code .ipynb}) run
 * in a worker of its own, as a notebook's kernel would run it: {@code %%function} cells declare functions with
 * the same analysis as in a notebook, and {@code %deploy}/{@code %serve} send them, through this process, to
 * the server. Cells run up to the first {@code %deploy} or {@code %serve} line (what follows uses the deployed
 * app); that line gives the app its default name. A cell that fails is reported with its file line and caret.
 */
final class FileApp implements AutoCloseable {
    /** A cell and the file line its first line is on (1-based). */
    record Cell(int line, String source) {}

    private static final Pattern MARKER = Pattern.compile("^//\\s*%%(\\s.*)?$");
    private static final Pattern DEPLOY = Pattern.compile("^\\s*%(deploy|serve)\\s+([A-Za-z0-9_-]+).*$");
    private static final Pattern WHERE = Pattern.compile("In \\[(\\d+)\\] line (\\d+)");
    private static final long CELL_TIMEOUT_S = 3600;

    final Path file;
    final List<Cell> cells;
    /** The name of the file's own {@code %deploy NAME} line, or null. */
    final String declaredName;
    private final PrintWriter out;
    private final PrintWriter err;
    private Worker worker;

    private FileApp(Path file, List<Cell> cells, String declaredName, PrintWriter out, PrintWriter err) {
        this.file = file;
        this.cells = cells;
        this.declaredName = declaredName;
        this.out = out;
        this.err = err;
    }

    /** Reads {@code file}: a {@code .jsh} app file or an {@code .ipynb} notebook. */
    static FileApp read(Path file, PrintWriter out, PrintWriter err) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no file " + file);
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        List<Cell> raw;
        if (name.endsWith(".ipynb")) {
            raw = notebookCells(Files.readString(file));
        } else if (name.endsWith(".jsh") || name.endsWith(".java")) {
            raw = jshCells(Files.readString(file));
        } else {
            throw new IOException(file + " is neither an app file (.jsh) nor a notebook (.ipynb)");
        }
        List<Cell> cells = new ArrayList<>();
        String declared = null;
        for (Cell c : raw) {
            String[] lines = c.source().split("\n", -1);
            StringBuilder kept = new StringBuilder();
            boolean stop = false;
            for (String l : lines) {
                Matcher m = DEPLOY.matcher(l);
                if (m.matches()) {
                    declared = m.group(2);
                    stop = true;
                    break;
                }
                kept.append(l).append('\n');
            }
            if (!kept.toString().isBlank()) {
                cells.add(new Cell(c.line(), kept.toString().stripTrailing()));
            }
            if (stop) {
                break;
            }
        }
        return new FileApp(file.toAbsolutePath().normalize(), cells, declared, out, err);
    }

    static List<Cell> jshCells(String text) {
        List<Cell> cells = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        StringBuilder cur = new StringBuilder();
        int start = 1;
        for (int i = 0; i < lines.length; i++) {
            if (MARKER.matcher(lines[i].stripTrailing()).matches()) {
                if (!cur.toString().isBlank()) {
                    cells.add(new Cell(start, cur.toString()));
                }
                cur.setLength(0);
                start = i + 2;
            } else {
                if (cur.length() == 0 && lines[i].isBlank()) {
                    start = i + 2; // a cell starts at its first line that is not blank
                    continue;
                }
                cur.append(lines[i]).append('\n');
            }
        }
        if (!cur.toString().isBlank()) {
            cells.add(new Cell(start, cur.toString()));
        }
        return cells;
    }

    /** The code cells; a cell's "line" is its number (notebooks have no file lines worth showing). */
    static List<Cell> notebookCells(String json) {
        List<Cell> cells = new ArrayList<>();
        int n = 0;
        for (JsonElement e : JsonParser.parseString(json).getAsJsonObject().getAsJsonArray("cells")) {
            JsonObject c = e.getAsJsonObject();
            if (!"code".equals(c.get("cell_type").getAsString())) {
                continue;
            }
            n++;
            JsonElement src = c.get("source");
            StringBuilder b = new StringBuilder();
            if (src.isJsonArray()) {
                src.getAsJsonArray().forEach(s -> b.append(s.getAsString()));
            } else {
                b.append(src.getAsString());
            }
            cells.add(new Cell(-n, b.toString()));
        }
        return cells;
    }

    /** The app name: {@code --name}, else the file's {@code %deploy NAME}, else the file's base name. */
    String appName(String option) {
        if (option != null) {
            return option;
        }
        if (declaredName != null) {
            return declaredName;
        }
        String base = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
        return base.replaceAll("[^A-Za-z0-9_-]", "-");
    }

    /** Starts the worker; its function.* and app.* calls go to {@code client}, ephemeral apps owned by this process. */
    void start(FerryClient client, Path dataDir) throws IOException {
        String javaExe = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<Path> cp = new ArrayList<>();
        String workerCp = FerryCommand.env.getOrDefault("FERRY_WORKER_CLASSPATH", System.getProperty("java.class.path"));
        for (String e : workerCp.split(java.io.File.pathSeparator)) {
            if (!e.isBlank()) {
                cp.add(Path.of(e));
            }
        }
        List<String> jvm = List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
                "--add-opens=java.base/java.nio=ALL-UNNAMED", "-Djava.awt.headless=true",
                "-D" + dev.ferry.remote.worker.WorkerMain.DATA_DIR_PROPERTY + "=" + dataDir,
                "-Dferry.app.source=" + file);
        FrameCalls frames = new FrameCalls(() -> client, ProcessHandle.current().pid());
        Worker.CallHandler calls = new Worker.CallHandler() {
            @Override
            public JsonElement call(String target, JsonObject a) {
                throw new IllegalArgumentException("'" + target + "' is not available to an app file run by the ferry"
                        + " command (only in a notebook)");
            }

            @Override
            public JsonElement call(String target, JsonObject a, byte[] body, Worker.CallContext ctx) throws Exception {
                return FrameCalls.handles(target) ? frames.call(target, a, body, ctx) : call(target, a);
            }
        };
        try {
            worker = Worker.attach(new ProcessEngine(javaExe).start(new PlacementSpec(ProcessEngine.LOCAL,
                    new WorkerLaunch("java", jvm, cp, Map.of(), file.getParent()), Map.of("ferry.file", file.toString()),
                    null, null, "none", null, List.of())), this::print, calls);
            worker.ready().get(60, TimeUnit.SECONDS);
        } catch (EngineException | java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("the worker for " + file + " did not start: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while starting the worker");
        }
    }

    /** Runs the file's cells; false (after printing where and why) when one fails. */
    boolean runCells() throws IOException, InterruptedException {
        for (int i = 0; i < cells.size(); i++) {
            if (!run(cells.get(i), i + 1)) {
                return false;
            }
        }
        return true;
    }

    /** Runs one more cell (a magic line such as {@code %deploy NAME}); false when it failed. */
    boolean run(String code) throws IOException, InterruptedException {
        return run(new Cell(0, code), cells.size() + 1);
    }

    private boolean run(Cell cell, int number) throws IOException, InterruptedException {
        Worker.Execution ex = worker.execute(cell.source(), number, false);
        while (true) {
            WorkerEvent ev = ex.next(CELL_TIMEOUT_S, TimeUnit.SECONDS);
            if (ev == null) {
                err.println("ferry: " + where(cell, 1) + ": the cell did not finish within " + CELL_TIMEOUT_S + " s");
                return false;
            }
            if (ev instanceof WorkerEvent.Result r) {
                if (r.status().equals("ok")) {
                    return true;
                }
                report(cell, number, r.fields());
                return false;
            }
            if (ev instanceof WorkerEvent.Died d) {
                err.println("ferry: the worker running " + file + " died: " + d.death().explain());
                return false;
            }
            print(ev);
        }
    }

    private void report(Cell cell, int number, JsonObject f) {
        String evalue = f.has("evalue") ? f.get("evalue").getAsString() : "?";
        String ename = f.has("ename") ? f.get("ename").getAsString() : "Error";
        List<String> tb = new ArrayList<>();
        if (f.has("traceback")) {
            f.getAsJsonArray("traceback").forEach(l -> tb.add(l.getAsString().replaceAll("\u001b\\[[0-9;]*m", "")));
        }
        if (cell.line() == 0) { // a magic line of ours (%deploy): its message is the whole story
            err.println("ferry: " + evalue);
            return;
        }
        boolean located = false;
        for (String l : tb) {
            Matcher m = WHERE.matcher(l);
            if (m.find() && Integer.parseInt(m.group(1)) == number) {
                l = m.replaceAll(where(cell, Integer.parseInt(m.group(2))));
                located = true;
            }
            err.println(l);
        }
        if (!located) {
            err.println("ferry: " + where(cell, 1) + ": " + ename + ": " + evalue);
        }
    }

    /** "app.jsh:12", or "notebook.ipynb cell 3 line 2". */
    private String where(Cell cell, int lineInCell) {
        String name = file.getFileName().toString();
        return cell.line() > 0 ? name + ":" + (cell.line() + lineInCell - 1)
                : name + " cell " + (-cell.line()) + " line " + lineInCell;
    }

    private void print(WorkerEvent ev) {
        if (ev instanceof WorkerEvent.Stream s) {
            (s.name().equals("stderr") ? err : out).print(s.text());
            (s.name().equals("stderr") ? err : out).flush();
        } else if (ev instanceof WorkerEvent.Display d) {
            JsonObject data = d.frame().has("data") ? d.frame().getAsJsonObject("data") : new JsonObject();
            if (data.has("text/plain")) {
                out.println(data.get("text/plain").getAsString());
            }
        }
    }

    @Override
    public void close() {
        if (worker != null) {
            worker.close();
            worker = null;
        }
    }
}

package dev.ferry.cli;

import dev.ferry.client.FerryClient;
import dev.ferry.client.ServerLauncher;
import dev.ferry.proto.v1.AppRef;
import dev.ferry.server.ServerPaths;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

/** {@code ferry deploy|serve|run FILE}: an app file or a notebook, as an app on the server (docs/apps.md). */
final class DeployCommand {
    private DeployCommand() {}

    abstract static class FileBase implements Callable<Integer> {
        @CommandLine.Mixin
        FerryCommand.DataDir dataDir = new FerryCommand.DataDir();
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(paramLabel = "FILE", description = "an app file (.jsh: Ferry cells separated by //%% lines) or a notebook (.ipynb)")
        Path file;
        @Option(names = "--name", description = "the app's name (default: the file's %deploy NAME, else the file's base name)")
        String name;

        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }

        FerryClient connect() throws IOException {
            ServerPaths p = dataDir.paths();
            return FerryClient.connectOrStart(p, FerryCommand.env, ServerLauncher.ofThisJvm());
        }

        /** Reads the file, runs its cells in a fresh worker, then {@code magic NAME}; null when a cell failed. */
        FileApp deploy(FerryClient c, String magic) throws IOException, InterruptedException {
            FileApp app = FileApp.read(file, out(), err());
            app.start(c, dataDir.paths().dataDir());
            if (!app.runCells() || !app.run(magic + " " + app.appName(name))) {
                app.close();
                return null;
            }
            return app;
        }
    }

    @Command(name = "deploy", description = "Deploy FILE's functions as an app that keeps running on the server;"
            + " prints its id, functions, schedules with their next run, and URLs.")
    static final class Deploy extends FileBase {
        @Option(names = "--replace", description = "replace an app of that name deployed from another file")
        boolean replace;

        @Override
        public Integer call() throws Exception {
            try (FerryClient c = connect()) {
                FileApp app = deploy(c, replace ? "%deploy --replace" : "%deploy");
                if (app == null) {
                    return 1;
                }
                app.close();
                return 0;
            }
        }
    }

    @Command(name = "serve", description = "Serve FILE as an ephemeral app: re-deployed on every save (same app id),"
            + " stopped on Ctrl-C.")
    static final class Serve extends FileBase {
        @Option(names = "--poll", description = "how often to look at the file, e.g. 500ms (default)")
        String poll = "500ms";

        @Override
        public Integer call() throws Exception {
            long pollMs = CallCommand.parseDuration(poll).toMillis();
            try (FerryClient c = connect()) {
                String appName = FileApp.read(file, out(), err()).appName(name);
                Runnable stop = new Runnable() {
                    private boolean done;

                    @Override
                    public synchronized void run() {
                        if (done) {
                            return;
                        }
                        done = true;
                        try {
                            c.unary("Apps/Stop", AppRef.newBuilder().setName(appName).build(), Duration.ofSeconds(10));
                            out().println("stopped " + appName);
                        } catch (RuntimeException e) {
                            err().println("ferry: could not stop " + appName + ": " + e.getMessage());
                        }
                    }
                };
                Thread hook = new Thread(stop, "ferry-serve-stop"); // Ctrl-C
                Runtime.getRuntime().addShutdownHook(hook);
                try {
                    long seen = Long.MIN_VALUE;
                    while (!Thread.currentThread().isInterrupted()) {
                        long m = Files.getLastModifiedTime(file).toMillis();
                        if (m != seen) {
                            out().println((seen == Long.MIN_VALUE ? "serving " : "changed: ") + file + " as " + appName
                                    + " (Ctrl-C stops it)");
                            seen = m;
                            FileApp app = deploy(c, "%serve");
                            if (app != null) {
                                app.close();
                            } else {
                                err().println("ferry: " + file + " did not deploy; the app keeps its last version. Fix the"
                                        + " file and save it again.");
                            }
                        }
                        Thread.sleep(pollMs);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    boolean interrupted = Thread.interrupted(); // the stop call must not see the interrupt
                    stop.run();
                    if (interrupted) {
                        Thread.currentThread().interrupt();
                    }
                    try {
                        Runtime.getRuntime().removeShutdownHook(hook);
                    } catch (IllegalStateException shuttingDown) {
                        // the hook runs (or ran) stop itself
                    }
                }
                return 0;
            }
        }
    }

    @Command(name = "run", description = "Run FILE's local entrypoint (a method void main()) against an ephemeral app"
            + " of its functions, then stop the app (unless --detach).")
    static final class Run extends FileBase {
        @Option(names = "--detach", description = "keep the app deployed after the entrypoint returns")
        boolean detach;

        @Override
        public Integer call() throws Exception {
            String text = Files.readString(file);
            if (!text.matches("(?s).*\\bvoid\\s+main\\s*\\(\\s*\\).*")) {
                err().println("ferry: " + file + " has no local entrypoint: declare a method void main() { ... } in it (it"
                        + " runs here and may call the file's functions with .remote(...)), or deploy it with ferry deploy");
                return 2;
            }
            try (FerryClient c = connect()) {
                FileApp app = deploy(c, detach ? "%deploy" : "%serve");
                if (app == null) {
                    return 1;
                }
                String appName = app.appName(name);
                try {
                    boolean ok = app.run("main();");
                    return ok ? 0 : 1;
                } finally {
                    app.close();
                    if (!detach) {
                        c.unary("Apps/Stop", AppRef.newBuilder().setName(appName).build(), Duration.ofSeconds(10));
                        out().println("stopped " + appName);
                    } else {
                        out().println(appName + " stays deployed (ferry app stop " + appName + ")");
                    }
                }
            }
        }
    }
}

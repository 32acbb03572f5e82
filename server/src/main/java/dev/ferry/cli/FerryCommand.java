package dev.ferry.cli;

import dev.ferry.client.FerryClient;
import dev.ferry.client.ServerLauncher;
import dev.ferry.proto.v1.ServerStatus;
import dev.ferry.server.ServerPaths;
import io.grpc.StatusRuntimeException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ferry}: the command line of a Ferry server ({@code ferry server start|stop|status}, {@code ferry call ...}). */
@Command(name = "ferry", mixinStandardHelpOptions = true, version = "ferry 0.1.0",
        description = "Ferry's control plane from a terminal.",
        subcommands = {FerryCommand.ServerCmd.class, CallCommand.class, LogsCommand.class, AppCommand.class,
                DeployCommand.Deploy.class, DeployCommand.Serve.class, DeployCommand.Run.class})
public final class FerryCommand {
    /** Exit status when no server answers. */
    static final int NOT_RUNNING = 3;

    static Map<String, String> env = System.getenv();

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs a command line; returns its exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cl = new CommandLine(new FerryCommand());
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            String msg = e instanceof StatusRuntimeException s
                    ? s.getStatus().getCode() + ": " + s.getStatus().getDescription() : e.getMessage();
            cmd.getErr().println("ferry: " + msg);
            return 1;
        });
        return cl.execute(args);
    }

    /** The data directory option every command takes. */
    static final class DataDir {
        @Option(names = "--data-dir", description = "the server's data directory (default: FERRY_DATA_DIR, else"
                + " $XDG_DATA_HOME/ferry, else ~/.local/share/ferry)")
        Path dir;

        ServerPaths paths() {
            return dir != null ? new ServerPaths(dir) : ServerPaths.from(env);
        }
    }

    static String notRunning(ServerPaths p) {
        String where = FerryClient.isTcp(env) ? env.get("FERRY_SERVER") : FerryClient.socket(p, env).toString();
        return "no Ferry server answers on " + where + " (start one with: ferry server start)";
    }

    /** Whether there may be a server to ask: a TCP address, or a socket file. */
    static boolean present(ServerPaths p) {
        return FerryClient.isTcp(env) || Files.exists(FerryClient.socket(p, env));
    }

    @Command(name = "server", description = "Start, stop or show the Ferry server of this user.",
            subcommands = {ServerCmd.Start.class, ServerCmd.Stop.class, ServerCmd.StatusCmd.class})
    static final class ServerCmd {
        @Command(name = "start", description = "Start the server in the background (nothing to do if one answers).")
        static final class Start implements Callable<Integer> {
            @CommandLine.Mixin
            DataDir dataDir = new DataDir();
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;
            @Option(names = "--listen", paramLabel = "HOST:PORT", description = "also listen on TCP with TLS (a self-signed"
                    + " tls.crt in the data directory unless one is there); clients elsewhere need copies of tls.crt and server.token")
            String listen;
            @Option(names = "--http", paramLabel = "HOST:PORT", description = "where web endpoints listen (default 127.0.0.1:7471,"
                    + " or a free port when that one is taken; HOST:0 for any free port; off for none)")
            String http;

            @Override
            public Integer call() throws IOException {
                ServerPaths p = dataDir.paths();
                ServerLauncher launcher = ServerLauncher.ofThisJvm();
                java.util.List<String> serverArgs = new java.util.ArrayList<>();
                if (listen != null) {
                    dev.ferry.server.Tls.parse(listen); // a malformed address fails here, not in the background
                    serverArgs.addAll(java.util.List.of("--listen", listen));
                }
                if (http != null) {
                    if (!http.equals("off")) {
                        dev.ferry.server.web.WebGateway.parse(http);
                    }
                    serverArgs.addAll(java.util.List.of("--http", http));
                }
                if (!serverArgs.isEmpty()) {
                    launcher = launcher.withServerArgs(serverArgs);
                }
                try (FerryClient c = FerryClient.connectOrStart(p, env, launcher)) {
                    ServerStatus s = c.status(Duration.ofSeconds(5));
                    if (listen != null && s.getTlsAddress().isEmpty()) {
                        spec.commandLine().getErr().println("ferry: a server already runs (pid " + s.getPid() + ") without --listen:"
                                + " stop it first (ferry server stop)");
                        return 1;
                    }
                    spec.commandLine().getOut().println("Ferry server running: pid " + s.getPid() + ", " + s.getAddress()
                            + (s.getTlsAddress().isEmpty() ? "" : " and " + s.getTlsAddress() + " (TLS)")
                            + (s.getHttpAddress().isEmpty() ? "" : ", web endpoints on " + s.getHttpAddress()));
                }
                return 0;
            }
        }

        @Command(name = "stop", description = "Stop the server cleanly (accepted calls resume at its next start).")
        static final class Stop implements Callable<Integer> {
            @CommandLine.Mixin
            DataDir dataDir = new DataDir();
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws Exception {
                ServerPaths p = dataDir.paths();
                PrintWriter out = spec.commandLine().getOut();
                if (!present(p)) {
                    out.println("no Ferry server runs for " + p.dataDir());
                    return 0;
                }
                try (FerryClient c = FerryClient.connect(p, env)) {
                    if (!c.answers()) {
                        out.println("no Ferry server runs for " + p.dataDir());
                        return 0;
                    }
                    long pid = c.status(Duration.ofSeconds(5)).getPid();
                    c.shutdown();
                    if (!FerryClient.isTcp(env)) { // a server over TCP may be on another host: its pid is not ours to watch
                        ProcessHandle.of(pid).ifPresent(h -> h.onExit().orTimeout(15, java.util.concurrent.TimeUnit.SECONDS).join());
                    }
                    out.println("Ferry server stopped (pid " + pid + ")");
                }
                return 0;
            }
        }

        @Command(name = "status", description = "Show the server's pid, socket and uptime; exit status 3 when none runs.")
        static final class StatusCmd implements Callable<Integer> {
            @CommandLine.Mixin
            DataDir dataDir = new DataDir();
            @CommandLine.Spec
            CommandLine.Model.CommandSpec spec;

            @Override
            public Integer call() throws IOException {
                ServerPaths p = dataDir.paths();
                if (!present(p)) {
                    spec.commandLine().getOut().println(notRunning(p));
                    return NOT_RUNNING;
                }
                try (FerryClient c = FerryClient.connect(p, env)) {
                    if (!c.answers()) {
                        spec.commandLine().getOut().println(notRunning(p));
                        return NOT_RUNNING;
                    }
                    ServerStatus s = c.status(Duration.ofSeconds(5));
                    PrintWriter out = spec.commandLine().getOut();
                    out.println("pid       " + s.getPid());
                    out.println("address   " + s.getAddress());
                    if (!s.getTlsAddress().isEmpty()) {
                        out.println("tls       " + s.getTlsAddress());
                    }
                    if (!s.getHttpAddress().isEmpty()) {
                        out.println("http      " + s.getHttpAddress());
                    }
                    out.println("data dir  " + s.getDataDir());
                    out.println("uptime    " + uptime(s.getUptimeMs()));
                    out.println("version   " + s.getVersion());
                    out.println("calls     " + s.getCallsInFlight() + " in flight");
                }
                return 0;
            }
        }
    }

    static String uptime(long ms) {
        long s = ms / 1000;
        return s >= 3600 ? (s / 3600) + "h " + (s % 3600 / 60) + "m" : s >= 60 ? (s / 60) + "m " + (s % 60) + "s" : s + "s";
    }
}

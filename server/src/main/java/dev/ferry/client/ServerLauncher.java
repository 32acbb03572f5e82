package dev.ferry.client;

import dev.ferry.server.ServerPaths;
import dev.ferry.storage.FerryDirs;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts a Ferry server as a background process of this user (in a session of its own, so a terminal's
 * Ctrl-C or hang-up does not reach it), its output appended to server.log, and waits until it answers.
 *
 * @param java      the java executable
 * @param classPath the server's class path (also its workers', unless FERRY_WORKER_CLASSPATH is set)
 * @param jvmOptions options for the server JVM
 * @param serverArgs arguments of the server ({@code --listen HOST:PORT})
 * @param env        environment variables set for the server over this process's ({@code FERRY_WORKER_CLASSPATH})
 */
public record ServerLauncher(String java, String classPath, List<String> jvmOptions, List<String> serverArgs,
                             Map<String, String> env) {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    public ServerLauncher {
        jvmOptions = List.copyOf(jvmOptions);
        serverArgs = List.copyOf(serverArgs);
        env = Map.copyOf(env);
    }

    public ServerLauncher(String java, String classPath, List<String> jvmOptions, List<String> serverArgs) {
        this(java, classPath, jvmOptions, serverArgs, Map.of());
    }

    /** The same launcher with these server arguments. */
    public ServerLauncher withServerArgs(List<String> args) {
        return new ServerLauncher(java, classPath, jvmOptions, args, env);
    }

    /** The same launcher with this environment variable set for the server. */
    public ServerLauncher withEnv(String name, String value) {
        Map<String, String> e = new HashMap<>(env);
        e.put(name, value);
        return new ServerLauncher(java, classPath, jvmOptions, serverArgs, e);
    }

    /** Runs this JVM's java on this JVM's class path. */
    public static ServerLauncher ofThisJvm() {
        return new ServerLauncher(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"), List.of("-XX:+UseSerialGC", "-Xss2m"), List.of());
    }

    /** The command line that runs the server for {@code paths}. */
    public List<String> command(ServerPaths paths) {
        List<String> cmd = new ArrayList<>();
        if (new File("/usr/bin/setsid").canExecute()) {
            cmd.add("/usr/bin/setsid"); // a session of its own; execs in place (the child is no group leader)
        }
        cmd.add(java);
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", classPath, "dev.ferry.server.FerryServer", "--data-dir", paths.dataDir().toString()));
        cmd.addAll(serverArgs);
        return cmd;
    }

    /**
     * Starts the server and waits until it answers; returns its process. When another client started one at
     * the same time, that one is used.
     *
     * @throws IOException naming why it could not start, with the end of its log
     */
    public ProcessHandle start(ServerPaths paths) throws IOException {
        FerryDirs.createPrivateDir(paths.dataDir());
        FerryDirs.createPrivateFile(paths.logFile());
        ProcessBuilder pb = new ProcessBuilder(command(paths))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(ProcessBuilder.Redirect.appendTo(paths.logFile().toFile()))
                .redirectErrorStream(true);
        pb.environment().remove("FERRY_SERVER");
        pb.environment().putAll(env);
        Process p = pb.start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        long sleep = 20;
        while (System.nanoTime() < deadline) {
            if (answers(paths)) {
                return p.toHandle();
            }
            if (!p.isAlive()) {
                if (answers(paths)) { // it lost the race to a server another client started
                    return ProcessHandle.current(); // not ours: the caller only connects
                }
                throw new IOException("the Ferry server for " + paths.dataDir() + " exited with status " + p.exitValue()
                        + " before it answered; the end of " + paths.logFile() + ":\n" + tail(paths.logFile()));
            }
            try {
                Thread.sleep(sleep);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the Ferry server to start");
            }
            sleep = Math.min(200, sleep * 2);
        }
        p.destroy();
        throw new IOException("the Ferry server for " + paths.dataDir() + " did not answer within " + START_TIMEOUT.toSeconds()
                + " s and was stopped; the end of " + paths.logFile() + ":\n" + tail(paths.logFile()));
    }

    private static boolean answers(ServerPaths paths) {
        if (!Files.exists(paths.socket()) || !Files.exists(paths.tokenFile())) {
            return false;
        }
        try (FerryClient c = FerryClient.connect(paths.socket())) {
            return c.answers();
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }
}

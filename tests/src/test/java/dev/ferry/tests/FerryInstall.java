package dev.ferry.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Installs the Ferry kernel (built by the reactor) into {@code ${ferry.build}/jupyter-prefix} with
 * {@code install/install.sh}, once per test JVM, and runs external test drivers with the right environment.
 */
final class FerryInstall {
    static final String KERNEL_NAME = "ferry-it";
    static final String KERNEL_NAME_JDK25 = "ferry-it-jdk25";
    static final Path JDK25_JAVA = Paths.get("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");

    private static FerryInstall installed;

    final Path repo;
    final Path build;
    final Path prefix;
    final boolean jdk25;

    private FerryInstall(Path repo, Path build, boolean jdk25) {
        this.repo = repo;
        this.build = build;
        this.prefix = build.resolve("jupyter-prefix");
        this.jdk25 = jdk25;
    }

    static synchronized FerryInstall get() throws Exception {
        if (installed != null) {
            return installed;
        }
        Path repo = Paths.get(required("ferry.repo")).toAbsolutePath().normalize();
        Path build = Paths.get(required("ferry.build")).toAbsolutePath().normalize();
        Path script = repo.resolve("install/install.sh");
        assertTrue(Files.isRegularFile(script), "missing " + script);
        Path prefix = build.resolve("jupyter-prefix");
        Files.createDirectories(prefix);

        run(repo, List.of("bash", script.toString(), "--prefix", prefix.toString(), "--name", KERNEL_NAME),
                Map.of(), Duration.ofMinutes(5), "install.sh --name " + KERNEL_NAME);
        boolean jdk25 = Files.isExecutable(JDK25_JAVA);
        if (jdk25) {
            run(repo, List.of("bash", script.toString(), "--prefix", prefix.toString(), "--name", KERNEL_NAME_JDK25,
                    "--java", JDK25_JAVA.toString()), Map.of(), Duration.ofMinutes(5),
                    "install.sh --name " + KERNEL_NAME_JDK25);
        } else {
            System.out.println("[ferry-it] " + JDK25_JAVA + " not found: the JDK 25 kernel is not tested");
        }
        FerryInstall fi = new FerryInstall(repo, build, jdk25);
        Path spec = fi.jupyterPath().resolve("kernels").resolve(KERNEL_NAME).resolve("kernel.json");
        assertTrue(Files.isRegularFile(spec), "install.sh did not create " + spec);
        installed = fi;
        return fi;
    }

    Path jupyterPath() {
        return prefix.resolve("share").resolve("jupyter");
    }

    /** Environment for test drivers: kernel names and JUPYTER_PATH (prepended to any existing one). */
    Map<String, String> env() {
        String existing = System.getenv("JUPYTER_PATH");
        String jp = jupyterPath().toString() + (existing == null || existing.isEmpty() ? "" : ":" + existing);
        java.util.HashMap<String, String> env = new java.util.HashMap<>();
        env.put("JUPYTER_PATH", jp);
        env.put("FERRY_KERNEL_NAME", KERNEL_NAME);
        if (jdk25) {
            env.put("FERRY_KERNEL_NAME_JDK25", KERNEL_NAME_JDK25);
        }
        return env;
    }

    /**
     * Runs a command, streaming its output (stdout and stderr merged) line by line to this JVM's System.out, which
     * failsafe shows on the console. Not {@code inheritIO()}: in a forked test JVM the inherited descriptors are
     * failsafe's own channel ("Corrupted channel by directly writing to native stream") and stdin is its command
     * pipe. Fails on timeout or a non-zero exit.
     */
    static void run(Path dir, List<String> cmd, Map<String, String> env, Duration timeout, String what)
            throws IOException, InterruptedException {
        System.out.println("[ferry-it] " + what + ": " + String.join(" ", cmd));
        ProcessBuilder pb = new ProcessBuilder(new ArrayList<>(cmd)).directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        pb.environment().putAll(env);
        Process p = pb.start();
        Thread pump = new Thread(() -> {
            try (java.io.BufferedReader r = new java.io.BufferedReader(
                    new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    System.out.println(line);
                    System.out.flush();
                }
            } catch (IOException e) {
                System.out.println("[ferry-it] output of " + what + " ended: " + e);
            }
        }, "ferry-it-output");
        pump.setDaemon(true);
        pump.start();
        if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            pump.join(5_000);
            fail(what + " did not finish within " + timeout.toMinutes() + " min (killed)");
        }
        pump.join(10_000);
        assertEquals(0, p.exitValue(), what + " failed (exit " + p.exitValue() + "); see its output above");
    }

    private static String required(String prop) {
        String v = System.getProperty(prop);
        if (v == null || v.isEmpty()) {
            fail("system property " + prop + " is not set (run through Maven failsafe: tests/pom.xml sets it)");
        }
        return v;
    }
}

package dev.ferry.kernel;

import dev.ferry.spi.FerryEnv;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Everything the kernel takes from its command line and environment, read in this one place.
 *
 * <ul>
 *   <li>{@code FERRY_JVM_OPTS}: extra JVM options for the worker JVM (whitespace separated), after the
 *       kernelspec's {@code --worker-opt=} values, so the user's word wins.</li>
 *   <li>{@code FERRY_DATA_DIR}: Ferry's data directory (history); default
 *       {@code $XDG_DATA_HOME/ferry} or {@code ~/.local/share/ferry}.</li>
 *   <li>{@code JPY_PARENT_PID} (set by jupyter_client): the kernel exits when that process does, so a
 *       crashed frontend leaves no kernel (and no worker) behind.</li>
 *   <li>{@code FERRY_ENGINE}: where {@code %%remote} cells run when the cell and the notebook do not say
 *       ({@code docker}, {@code process} or {@code kubernetes}); unset: docker when an engine answers, else process.</li>
 *   <li>{@code DOCKER_HOST}, {@code DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH}: the Docker engine, as
 *       the docker CLI reads them (default: the local socket).</li>
 *   <li>{@code KUBECONFIG}, {@code FERRY_KUBE_CONTEXT}, {@code FERRY_KUBE_NAMESPACE}, {@code FERRY_KUBE_REGISTRY},
 *       {@code FERRY_KUBE_GPU_LABEL}, {@code FERRY_KUBE_GPU_VALUES}, {@code FERRY_KUBE_START_TIMEOUT}: the Kubernetes
 *       engine ({@code engine=kubernetes}, docs/kubernetes.md), kept as given in {@link #kubernetes()}.</li>
 *   <li>{@code FERRY_SPARE_IDLE}: seconds a spare worker waits for the next kernel (default 600; 0: no spare
 *       workers). A kernel that has been idle for a moment, or that shuts down, leaves one warm worker with its
 *       own launch for the next kernel in the same directory and environment, which claims it at start.</li>
 *   <li>{@code --worker-classpath=CP} (the kernelspec sets it to its {@code worker/*}): the worker JVM's own
 *       class path, which never holds the kernel's jars (docs/architecture.md); unset (a kernel started from
 *       a build tree): the kernel's class path.</li>
 * </ul>
 *
 * <p>The environment comes in as one {@link FerryEnv} (the process's, read once in {@code main}), which the
 * record keeps for what the kernel passes on (the server it starts, the worker's class path).
 */
public record Config(Path connectionFile, List<String> workerJvmOptions, Path dataDir, long parentPid, String engine,
                     String dockerHost, String dockerTlsVerify, String dockerCertPath, String workerClassPath,
                     Map<String, String> kubernetes, FerryEnv env, long spareIdleSeconds) {

    /** The default of {@code FERRY_SPARE_IDLE}: a spare waits ten minutes for a kernel. */
    static final long DEFAULT_SPARE_IDLE_S = 600;

    static final String USAGE = "usage: FerryKernel [--worker-opt=<jvm option>]... [--worker-classpath=<class path>] <connection file>";

    /** From the command line and environment variables alone (no system properties: tests). */
    static Config from(String[] args, Map<String, String> env) {
        return from(args, FerryEnv.of(env, Map.of()));
    }

    static Config from(String[] args, FerryEnv fe) {
        Map<String, String> env = fe.env();
        List<String> opts = new ArrayList<>();
        Path connection = null;
        String workerClassPath = null;
        for (String a : args) {
            if (a.startsWith("--worker-opt=")) {
                opts.add(a.substring("--worker-opt=".length()));
            } else if (a.startsWith("--worker-classpath=") && a.length() > "--worker-classpath=".length()) {
                workerClassPath = a.substring("--worker-classpath=".length());
            } else if (a.startsWith("--")) {
                throw new IllegalArgumentException("unknown option '" + a + "'; " + USAGE);
            } else if (connection == null) {
                connection = Path.of(a);
            } else {
                throw new IllegalArgumentException("more than one connection file given; " + USAGE);
            }
        }
        if (connection == null) {
            throw new IllegalArgumentException("no connection file given; " + USAGE);
        }
        String extra = env.getOrDefault("FERRY_JVM_OPTS", "").trim();
        if (!extra.isEmpty()) {
            opts.addAll(List.of(extra.split("\\s+")));
        }
        long parent = 0;
        try {
            parent = Long.parseLong(env.getOrDefault("JPY_PARENT_PID", "0").trim());
        } catch (NumberFormatException e) {
            // not a pid: no parent to watch
        }
        return new Config(connection, List.copyOf(opts), dataDir(fe), parent, env.get("FERRY_ENGINE"),
                env.get("DOCKER_HOST"), env.get("DOCKER_TLS_VERIFY"), env.get("DOCKER_CERT_PATH"), workerClassPath,
                kubernetes(env), fe, spareIdle(env.get("FERRY_SPARE_IDLE")));
    }

    /** The Kubernetes engine's variables that are set. */
    static Map<String, String> kubernetes(Map<String, String> env) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (String k : dev.ferry.remote.engine.kubernetes.KubeSettings.VARIABLES) {
            if (env.get(k) != null) {
                out.put(k, env.get(k));
            }
        }
        return Map.copyOf(out);
    }

    static long spareIdle(String value) {
        if (value == null || value.isBlank()) {
            return DEFAULT_SPARE_IDLE_S;
        }
        try {
            long s = Long.parseLong(value.trim());
            if (s >= 0) {
                return s;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("FERRY_SPARE_IDLE must be a number of seconds (0: no spare workers), not '"
                + value + "'");
    }

    /** Where spare workers wait: beside the history, one directory per user and data directory. */
    Path sparesDir() {
        return dataDir.resolve("spares");
    }

    /** The worker JVM's class path: the kernelspec's {@code worker/*}, else (a build tree) this JVM's. */
    String workerClassPathOrKernels() {
        return workerClassPath != null ? workerClassPath : env.classPath();
    }

    static Path dataDir(Map<String, String> env) {
        return dataDir(FerryEnv.of(env, Map.of()));
    }

    /** The data directory by the kernel's rule: its environment and home (the ferry.data.dir property is the worker's). */
    static Path dataDir(FerryEnv fe) {
        return dev.ferry.storage.FerryDirs.from(fe.env(), Map.of(), fe.userHome()).data();
    }
}

package dev.ferry.spi;

import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The process's environment variables and system properties, read in one place ({@link #ofProcess()}) and
 * passed down: the kernel's {@code Config}, the worker's and the server's mains build their settings from
 * one {@code FerryEnv}, and tests build one from maps instead of changing the JVM's properties. Code that
 * a {@code ServiceLoader} or a notebook's static call creates (magics, {@code Volume.fromName}) reads
 * {@link #current()}: the one the process's main installed, else this process's own.
 *
 * <p>What Ferry reads (docs/architecture.md, "Configuration", lists them with who reads them):
 * {@code FERRY_DATA_DIR}, {@code XDG_DATA_HOME} / {@code ferry.data.dir}; {@code FERRY_CONFIG_DIR},
 * {@code XDG_CONFIG_HOME} / {@code ferry.config.dir}; {@code ferry.store} (the worker's store); {@code
 * FERRY_JVM_OPTS}, {@code JPY_PARENT_PID}, {@code FERRY_ENGINE}, {@code DOCKER_HOST}, {@code
 * DOCKER_TLS_VERIFY}, {@code DOCKER_CERT_PATH} (the kernel); {@code CUDA_VISIBLE_DEVICES} (GPU messages);
 * {@code maven.repo.local} and {@code ${env.X}} in settings.xml ({@code %maven}); {@code user.home},
 * {@code java.home}, {@code java.class.path}.
 */
public record FerryEnv(Map<String, String> env, Map<String, String> properties) {
    private static volatile FerryEnv installed;

    public FerryEnv {
        env = Map.copyOf(env);
        properties = Map.copyOf(properties);
    }

    /** This process's environment and system properties: the one place Ferry reads them. */
    public static FerryEnv ofProcess() {
        Map<String, String> props = new TreeMap<>();
        Properties p = System.getProperties();
        for (String name : p.stringPropertyNames()) {
            String v = p.getProperty(name);
            if (v != null) {
                props.put(name, v);
            }
        }
        return new FerryEnv(System.getenv(), props);
    }

    /** An environment of given maps (tests, and a worker's view of what its kernel passes it). */
    public static FerryEnv of(Map<String, String> env, Map<String, String> properties) {
        return new FerryEnv(env, properties);
    }

    /** The environment the process's main installed, else (read once) this process's own. */
    public static FerryEnv current() {
        FerryEnv e = installed;
        if (e == null) {
            synchronized (FerryEnv.class) {
                if (installed == null) {
                    installed = ofProcess();
                }
                e = installed;
            }
        }
        return e;
    }

    /** Installs the environment that {@link #current()} returns (a main does, once, at start). */
    public static void install(FerryEnv env) {
        installed = env;
    }

    /** An environment variable, or null. */
    public String env(String name) {
        return env.get(name);
    }

    /** A system property, or null. */
    public String property(String name) {
        return properties.get(name);
    }

    /** A copy with one system property set (or removed, with null): what a child JVM started with -D sees. */
    public FerryEnv withProperty(String name, String value) {
        Map<String, String> p = new TreeMap<>(properties);
        if (value == null) {
            p.remove(name);
        } else {
            p.put(name, value);
        }
        return new FerryEnv(env, p);
    }

    /** The user's home directory ({@code user.home}). */
    public String userHome() {
        return properties.getOrDefault("user.home", "");
    }

    /** The running JDK ({@code java.home}). */
    public String javaHome() {
        return properties.getOrDefault("java.home", "");
    }

    /** This JVM's class path ({@code java.class.path}). */
    public String classPath() {
        return properties.getOrDefault("java.class.path", "");
    }
}

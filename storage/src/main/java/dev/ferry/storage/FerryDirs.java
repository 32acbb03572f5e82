package dev.ferry.storage;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where Ferry keeps data and configuration: the one rule, read in one place ({@link #from}); the kernel's
 * {@code Config} and the worker both use it.
 *
 * <p>Data directory: system property {@code ferry.data.dir} (the kernel passes it to its worker), else env
 * {@code FERRY_DATA_DIR}, else {@code ${XDG_DATA_HOME:-~/.local/share}/ferry}.
 *
 * <p>Config directory: system property {@code ferry.config.dir}, else env {@code FERRY_CONFIG_DIR}, else
 * {@code ${XDG_CONFIG_HOME:-~/.config}/ferry}.
 */
public record FerryDirs(Path data, Path config) {
    public static final String DATA_DIR_PROPERTY = "ferry.data.dir";
    public static final String CONFIG_DIR_PROPERTY = "ferry.config.dir";

    /** The rule, as a pure function of the environment, the system properties and the home directory. */
    public static FerryDirs from(Map<String, String> env, Map<String, String> properties, String home) {
        return new FerryDirs(
                pick(properties.get(DATA_DIR_PROPERTY), env.get("FERRY_DATA_DIR"), env.get("XDG_DATA_HOME"),
                        home, Path.of(".local", "share")),
                pick(properties.get(CONFIG_DIR_PROPERTY), env.get("FERRY_CONFIG_DIR"), env.get("XDG_CONFIG_HOME"),
                        home, Path.of(".config")));
    }

    /** The directories of an environment (its variables and system properties). */
    public static FerryDirs of(dev.ferry.spi.FerryEnv env) {
        return from(env.env(), env.properties(), env.userHome());
    }

    /** This process's directories ({@link dev.ferry.spi.FerryEnv#current()}). */
    public static FerryDirs current() {
        return of(dev.ferry.spi.FerryEnv.current());
    }

    public static Path dataDir() {
        return current().data();
    }

    public static Path configDir() {
        return current().config();
    }

    public static Path volumesDir() {
        return dataDir().resolve("volumes");
    }

    public static Path secretsDir() {
        return configDir().resolve("secrets");
    }

    /**
     * Creates a directory (and its parents) and makes it private to this user (0700), as Ferry's data
     * directory is: it holds the store, calls, results, logs, history and the server's token. An existing
     * directory is tightened too. On a file system without POSIX permissions the directory is only created.
     */
    public static Path createPrivateDir(Path dir) throws java.io.IOException {
        java.nio.file.Files.createDirectories(dir);
        setPermissions(dir, "rwx------");
        return dir;
    }

    /**
     * Creates an empty file readable and writable by this user only (0600), or tightens an existing one.
     * SQLite gives a database's -wal and -shm files the permissions of the database file, so creating the
     * file this way before opening it keeps them private too.
     */
    public static Path createPrivateFile(Path file) throws java.io.IOException {
        try {
            java.nio.file.Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        } catch (java.nio.file.FileAlreadyExistsException e) {
            setPermissions(file, "rw-------");
        } catch (UnsupportedOperationException e) {
            if (!java.nio.file.Files.exists(file)) {
                java.nio.file.Files.createFile(file);
            }
        }
        return file;
    }

    private static void setPermissions(Path p, String perms) throws java.io.IOException {
        try {
            java.nio.file.Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(perms));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: nothing to tighten
        }
    }

    private static Path pick(String property, String env, String xdg, String home, Path homeRelative) {
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(home).resolve(homeRelative);
        return base.resolve("ferry").toAbsolutePath().normalize();
    }
}

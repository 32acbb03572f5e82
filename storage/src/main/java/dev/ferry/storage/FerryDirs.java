package dev.ferry.storage;

import java.nio.file.Path;

/**
 * Where Ferry keeps data and configuration, read in one place.
 *
 * <p>Data directory: system property {@code ferry.data.dir} (the kernel passes it to its worker), else env
 * {@code FERRY_DATA_DIR}, else {@code ${XDG_DATA_HOME:-~/.local/share}/ferry}.
 *
 * <p>Config directory: system property {@code ferry.config.dir}, else env {@code FERRY_CONFIG_DIR}, else
 * {@code ${XDG_CONFIG_HOME:-~/.config}/ferry}.
 */
public final class FerryDirs {
    public static final String DATA_DIR_PROPERTY = "ferry.data.dir";
    public static final String CONFIG_DIR_PROPERTY = "ferry.config.dir";

    private FerryDirs() {
    }

    public static Path dataDir() {
        return pick(System.getProperty(DATA_DIR_PROPERTY), System.getenv("FERRY_DATA_DIR"),
                System.getenv("XDG_DATA_HOME"), Path.of(".local", "share"));
    }

    public static Path configDir() {
        return pick(System.getProperty(CONFIG_DIR_PROPERTY), System.getenv("FERRY_CONFIG_DIR"),
                System.getenv("XDG_CONFIG_HOME"), Path.of(".config"));
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

    private static Path pick(String property, String env, String xdg, Path homeRelative) {
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath().normalize();
        }
        if (env != null && !env.isBlank()) {
            return Path.of(env).toAbsolutePath().normalize();
        }
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg)
                : Path.of(System.getProperty("user.home")).resolve(homeRelative);
        return base.resolve("ferry").toAbsolutePath().normalize();
    }
}

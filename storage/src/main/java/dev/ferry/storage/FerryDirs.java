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

package dev.ferry.server;

import dev.ferry.storage.FerryDirs;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where a Ferry server keeps its files, all in the data directory (the same rule as the kernel's:
 * {@code FERRY_DATA_DIR}, else {@code $XDG_DATA_HOME/ferry}, else {@code ~/.local/share/ferry}); the
 * directory is 0700 and every file in it 0600.
 *
 * @param dataDir the data directory
 */
public record ServerPaths(Path dataDir) {
    /** The longest Unix socket path Linux accepts (sun_path is 108 bytes with its terminating NUL). */
    static final int MAX_SOCKET_PATH = 107;

    public ServerPaths {
        dataDir = dataDir.toAbsolutePath().normalize();
    }

    /** The data directory from the environment (see the class comment); {@code ferry.data.dir} wins. */
    public static ServerPaths from(Map<String, String> env) {
        String prop = System.getProperty(FerryDirs.DATA_DIR_PROPERTY);
        if (prop != null && !prop.isBlank()) {
            return new ServerPaths(Path.of(prop));
        }
        String dir = env.get("FERRY_DATA_DIR");
        if (dir != null && !dir.isBlank()) {
            return new ServerPaths(Path.of(dir));
        }
        String xdg = env.get("XDG_DATA_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return new ServerPaths(Path.of(xdg, "ferry"));
        }
        return new ServerPaths(Path.of(System.getProperty("user.home"), ".local", "share", "ferry"));
    }

    /** The Unix socket the server listens on. */
    public Path socket() {
        return dataDir.resolve("server.sock");
    }

    /** The token every call must carry (0600). */
    public Path tokenFile() {
        return dataDir.resolve("server.token");
    }

    /** The running server's pid and start time, one per line (0600); gone when it stopped cleanly. */
    public Path pidFile() {
        return dataDir.resolve("server.pid");
    }

    /** Held (an OS file lock) by the one server of this data directory while it runs. */
    public Path lockFile() {
        return dataDir.resolve("server.lock");
    }

    /** The server's log. */
    public Path logFile() {
        return dataDir.resolve("server.log");
    }

    /** Function calls, their inputs and results. */
    public Path callsDb() {
        return dataDir.resolve("calls.sqlite");
    }

    /** Deployed apps (docs/apps.md). */
    public Path appsDb() {
        return dataDir.resolve("apps.sqlite");
    }

    /** The socket path, checked against the OS limit, with the fix when it is too long. */
    public Path checkedSocket() {
        Path s = socket();
        if (s.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_SOCKET_PATH) {
            throw new IllegalStateException("the server's socket path " + s + " is longer than the " + MAX_SOCKET_PATH
                    + " bytes a Unix socket path may have: set FERRY_DATA_DIR to a shorter directory");
        }
        return s;
    }
}

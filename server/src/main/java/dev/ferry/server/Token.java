package dev.ferry.server;

import dev.ferry.storage.FerryDirs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The server's shared secret: 32 random bytes (base64url) in a 0600 file beside the socket. Every call
 * carries it in the {@value #HEADER} metadata header; whoever can read the file may call the server, which
 * is this user alone.
 */
public final class Token {
    /** The metadata header that carries the token. */
    public static final String HEADER = "ferry-token";

    private Token() {
    }

    /** The token in {@code file}, created (atomically, 0600) when there is none. */
    public static String readOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            return read(file);
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp" + ProcessHandle.current().pid());
        FerryDirs.createPrivateFile(tmp);
        Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        return read(file);
    }

    /** The token in {@code file}. */
    public static String read(Path file) throws IOException {
        String t = Files.readString(file, StandardCharsets.US_ASCII).strip();
        if (t.isEmpty()) {
            throw new IOException("the server token file " + file + " is empty: delete it and restart the server"
                    + " (ferry server stop; ferry server start)");
        }
        return t;
    }

    /** Compares in constant time. */
    static boolean matches(String expected, String given) {
        return given != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII),
                given.getBytes(StandardCharsets.US_ASCII));
    }
}

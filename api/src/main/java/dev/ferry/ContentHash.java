package dev.ferry;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * SHA-256 helpers for image tags and build-context entries.
 *
 * <p>A local directory hashes as a deterministic walk: entries sorted by their relative path (with {@code /}
 * separators), each contributing its kind (file, directory, symbolic link), its mode and its content (file bytes,
 * or the link target; links are not followed). Hidden files are included; nothing is skipped. An unreadable entry
 * is an error, never silently left out.
 */
final class ContentHash {
    private ContentHash() {}

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** Full lowercase hex SHA-256 of a UTF-8 string. */
    public static String ofString(String s) {
        return HexFormat.of().formatHex(sha256().digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** Full lowercase hex SHA-256 of bytes. */
    public static String ofBytes(byte[] bytes) {
        return HexFormat.of().formatHex(sha256().digest(bytes));
    }

    /** Hash of a local file (its bytes and mode) or a directory (deterministic walk). */
    public static String ofPath(Path path) {
        MessageDigest md = sha256();
        try {
            if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
                md.update(bytes("dir\0"));
                List<Path> entries = new ArrayList<>();
                try (Stream<Path> walk = Files.walk(path)) {
                    walk.filter(p -> !p.equals(path)).forEach(entries::add);
                }
                List<String[]> rel = new ArrayList<>();
                for (Path p : entries) {
                    rel.add(new String[] {relative(path, p), p.toString()});
                }
                rel.sort((a, b) -> a[0].compareTo(b[0]));
                for (String[] r : rel) {
                    Path p = Path.of(r[1]);
                    md.update(bytes("entry\0" + r[0] + "\0"));
                    entry(md, p);
                }
            } else if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
                md.update(bytes("file\0"));
                entry(md, path);
            } else {
                throw new IllegalArgumentException("local path does not exist: " + path.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot hash " + path.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static String relative(Path root, Path p) {
        StringBuilder sb = new StringBuilder();
        for (Path part : root.relativize(p)) {
            if (sb.length() > 0) sb.append('/');
            sb.append(part.toString());
        }
        return sb.toString();
    }

    private static void entry(MessageDigest md, Path p) throws IOException {
        if (Files.isSymbolicLink(p)) {
            md.update(bytes("link\0" + Files.readSymbolicLink(p) + "\0"));
            return;
        }
        md.update(bytes(mode(p) + "\0"));
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            md.update(bytes("d\0"));
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            md.update(bytes("f\0" + Files.size(p) + "\0"));
            try (InputStream in = Files.newInputStream(p)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) md.update(buf, 0, n);
            }
        } else {
            throw new IOException("not a regular file, directory or symbolic link: " + p);
        }
    }

    private static String mode(Path p) throws IOException {
        try {
            return PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
        } catch (UnsupportedOperationException e) {
            return (Files.isReadable(p) ? "r" : "-") + (Files.isWritable(p) ? "w" : "-")
                    + (Files.isExecutable(p) ? "x" : "-");
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package dev.ferry.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The implementation of {@link dev.ferry.Volume} (the user type, in module api; {@link LocalStorage} hands it out).
 *
 * <p>A named directory of files under Ferry's data directory ({@code <dataDir>/volumes/<name>/}).
 *
 * <p>Locally a volume is a plain directory shared by every kernel on the machine: writes are visible at once;
 * {@link #commit()} makes the writes since the last commit durable (fsync of files and their directories);
 * {@link #reload()} does nothing locally (it will refresh a container's snapshot once mounting exists).
 */
public final class DirVolume implements dev.ferry.Volume {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final String name;
    private final Path root;
    private final Set<Path> dirty = new LinkedHashSet<>();

    private DirVolume(String name, Path root) {
        this.name = name;
        this.root = root;
    }

    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.equals(".") || name.equals("..")) {
            throw new IllegalArgumentException("invalid volume name " + (name == null ? "null" : "'" + name + "'")
                    + ": use 1 to 64 characters from A-Z a-z 0-9 . _ -");
        }
        return name;
    }

    static Path dirOf(String name) {
        return FerryDirs.volumesDir().resolve(checkName(name));
    }

    public static DirVolume fromName(String name) {
        return fromName(name, false);
    }

    public static DirVolume fromName(String name, boolean createIfMissing) {
        Path dir = dirOf(name);
        if (!Files.isDirectory(dir)) {
            if (!createIfMissing) {
                throw new IllegalArgumentException("Volume '" + name + "' does not exist (no directory " + dir
                        + "); create it with Volume.fromName(\"" + name + "\", true)");
            }
            try {
                Files.createDirectories(dir);
                fsyncDir(dir.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create volume '" + name + "' at " + dir + ": " + e, e);
            }
        }
        return new DirVolume(name, dir.toAbsolutePath().normalize());
    }

    /** Deletes the volume and all its files; returns whether it existed. */
    public static boolean delete(String name) {
        Path dir = dirOf(name);
        if (!Files.isDirectory(dir)) {
            return false;
        }
        deleteTree(dir);
        return true;
    }

    /** Names of the volumes on this machine, sorted. */
    public static List<String> list() {
        Path dir = FerryDirs.volumesDir();
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(n -> NAME.matcher(n).matches()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String name() {
        return name;
    }

    /** The volume's local directory (for DuckDB, Java IO, ...). */
    public Path path() {
        return root;
    }

    /** The absolute local path of {@code path} inside this volume; rejects paths that would escape it. */
    public Path resolve(String path) {
        if (path == null) {
            throw new IllegalArgumentException("volume path is null");
        }
        String p = path.replace('\\', '/');
        while (p.startsWith("/")) {
            p = p.substring(1);
        }
        Path rel = Path.of(p.isEmpty() ? "." : p).normalize();
        if (rel.isAbsolute() || rel.startsWith("..")) {
            throw new IllegalArgumentException("path '" + path + "' escapes volume '" + name
                    + "'; use a path relative to the volume root, without '..' above it");
        }
        Path abs = root.resolve(rel).normalize();
        if (!abs.startsWith(root)) {
            throw new IllegalArgumentException("path '" + path + "' escapes volume '" + name + "'");
        }
        return abs;
    }

    private String relative(Path abs) {
        return root.relativize(abs).toString().replace('\\', '/');
    }

    /** Entries directly under {@code path} ("" or "/" for the root); a file path lists that file. */
    public List<FileEntry> listFiles(String path) {
        Path dir = resolve(path);
        try {
            if (!Files.exists(dir)) {
                throw new IllegalArgumentException("no such path '" + path + "' in volume '" + name + "'");
            }
            List<FileEntry> out = new ArrayList<>();
            if (!Files.isDirectory(dir)) {
                out.add(entry(dir));
                return out;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path p : s.sorted().toList()) {
                    out.add(entry(p));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public List<FileEntry> listFiles() {
        return listFiles("");
    }

    private FileEntry entry(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return new FileEntry(relative(p), a.isDirectory() ? 0 : a.size(), a.lastModifiedTime().toInstant(),
                a.isDirectory());
    }

    public byte[] read(String path) {
        Path p = resolve(path);
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("no such file '" + path + "' in volume '" + name + "'", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(String path, byte[] data) {
        Path p = target(path);
        try {
            Files.write(p, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        touched(p);
    }

    public void write(String path, InputStream in) {
        Path p = target(path);
        try {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        touched(p);
    }

    /** Copies the local file {@code localPath} to {@code remotePath} in the volume. */
    public void putFile(Path localPath, String remotePath) {
        Path p = target(remotePath);
        try {
            Files.copy(localPath, p, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + localPath + " into volume '" + name + "': " + e, e);
        }
        touched(p);
    }

    public void putFile(String localPath, String remotePath) {
        putFile(Path.of(localPath), remotePath);
    }

    /** Copies the local directory tree {@code localDir} to {@code remoteDir} in the volume. */
    public void putDirectory(Path localDir, String remoteDir) {
        if (!Files.isDirectory(localDir)) {
            throw new IllegalArgumentException("not a directory: " + localDir);
        }
        Path base = resolve(remoteDir);
        try {
            Files.walkFileTree(localDir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path d = base.resolve(localDir.relativize(dir).toString()).normalize();
                    Files.createDirectories(d);
                    touched(d);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path f = base.resolve(localDir.relativize(file).toString()).normalize();
                    Files.copy(file, f, StandardCopyOption.REPLACE_EXISTING);
                    touched(f);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy " + localDir + " into volume '" + name + "': " + e, e);
        }
    }

    public void putDirectory(String localDir, String remoteDir) {
        putDirectory(Path.of(localDir), remoteDir);
    }

    public void remove(String path) {
        remove(path, false);
    }

    /** Removes a file or an empty directory; with {@code recursive}, a directory and everything in it. */
    public void remove(String path, boolean recursive) {
        Path p = resolve(path);
        if (p.equals(root)) {
            throw new IllegalArgumentException("cannot remove the root of volume '" + name
                    + "'; use Volume.delete(\"" + name + "\")");
        }
        if (!Files.exists(p)) {
            throw new IllegalArgumentException("no such path '" + path + "' in volume '" + name + "'");
        }
        try {
            if (recursive) {
                deleteTree(p);
            } else {
                Files.delete(p);
            }
        } catch (DirectoryNotEmptyException e) {
            throw new IllegalArgumentException("directory '" + path + "' in volume '" + name
                    + "' is not empty; use remove(path, true)", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        synchronized (dirty) {
            dirty.removeIf(d -> d.startsWith(p));
            dirty.add(p.getParent());
        }
    }

    /** Makes the writes since the last commit durable: fsyncs the files written and their directories. */
    public void commit() {
        List<Path> todo;
        synchronized (dirty) {
            todo = new ArrayList<>(dirty);
            dirty.clear();
        }
        Set<Path> dirs = new LinkedHashSet<>();
        try {
            for (Path p : todo) {
                if (Files.isRegularFile(p)) {
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        ch.force(true);
                    }
                    dirs.add(p.getParent());
                } else if (Files.isDirectory(p)) {
                    dirs.add(p);
                }
            }
            // every directory from the written ones up to the volume root (new directories' entries too)
            Set<Path> all = new LinkedHashSet<>();
            for (Path d : dirs) {
                for (Path x = d; x != null && x.startsWith(root); x = x.getParent()) {
                    all.add(x);
                }
            }
            for (Path d : all) {
                fsyncDir(d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("commit of volume '" + name + "' failed: " + e, e);
        }
    }

    /** Locally a no-op: the directory is shared, so every write is already visible. */
    public void reload() {
    }

    private Path target(String path) {
        Path p = resolve(path);
        if (p.equals(root)) {
            throw new IllegalArgumentException("write needs a file path inside volume '" + name + "'");
        }
        try {
            Files.createDirectories(p.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p;
    }

    private void touched(Path p) {
        synchronized (dirty) {
            dirty.add(p);
        }
    }

    private static void fsyncDir(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // some file systems cannot fsync a directory; the files themselves were synced
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + ": " + e, e);
        }
    }

    @Override
    public String toString() {
        return "Volume[name=" + name + ", path=" + root + "]";
    }
}

package dev.ferry.remote.engine.docker;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** Tar archives for Docker (build contexts, files copied into containers), written to a temporary file. */
final class Tars implements AutoCloseable {
    private final Path file;

    private Tars(Path file) {
        this.file = file;
    }

    InputStream open() throws IOException {
        return Files.newInputStream(file);
    }

    long size() throws IOException {
        return Files.size(file);
    }

    @Override
    public void close() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Files and directories (recursively) at their target paths (relative, no leading slash). */
    static Tars ofFiles(Map<Path, String> sources) throws IOException {
        return write(tar -> {
            for (var e : sources.entrySet()) {
                add(tar, e.getKey(), e.getValue());
            }
        });
    }

    interface Writer {
        void write(TarArchiveOutputStream tar) throws IOException;
    }

    static Tars write(Writer writer) throws IOException {
        Path f = Files.createTempFile("ferry-", ".tar");
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(f), 1 << 16);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            writer.write(tar);
            tar.finish();
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(f);
            throw e;
        }
        return new Tars(f);
    }

    /** A file, or a directory with everything under it, at {@code target}. */
    static void add(TarArchiveOutputStream tar, Path source, String target) throws IOException {
        String base = target.endsWith("/") ? target.substring(0, target.length() - 1) : target;
        if (Files.isDirectory(source)) {
            List<Path> all;
            try (Stream<Path> s = Files.walk(source)) {
                all = s.sorted().toList();
            }
            for (Path p : all) {
                String rel = source.relativize(p).toString().replace('\\', '/');
                String name = rel.isEmpty() ? base : base + "/" + rel;
                TarArchiveEntry e = new TarArchiveEntry(p.toFile(), Files.isDirectory(p) ? name + "/" : name);
                tar.putArchiveEntry(e);
                if (Files.isRegularFile(p)) {
                    Files.copy(p, tar);
                }
                tar.closeArchiveEntry();
            }
        } else {
            TarArchiveEntry e = new TarArchiveEntry(source.toFile(), base);
            tar.putArchiveEntry(e);
            Files.copy(source, tar);
            tar.closeArchiveEntry();
        }
    }

    static void addBytes(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        e.setMode(0644);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}

package dev.ferry;

import dev.ferry.spi.Storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * A named directory of files under Ferry's data directory ({@code <dataDir>/volumes/<name>/}). See
 * docs/storage.md.
 *
 * <p>Locally a volume is a plain directory shared by every kernel on the machine: writes are visible at once;
 * {@link #commit()} makes the writes since the last commit durable (fsync of files and their directories);
 * {@link #reload()} does nothing locally (it will refresh a container's snapshot once mounting exists).
 */
public interface Volume {
    /** One entry of {@link #listFiles(String)}: a path relative to the volume root. */
    record FileEntry(String path, long size, Instant mtime, boolean isDir) {
    }

    /** A volume that must exist already. */
    static Volume fromName(String name) {
        return fromName(name, false);
    }

    /** A volume; creates its directory when missing if {@code createIfMissing}. */
    static Volume fromName(String name, boolean createIfMissing) {
        return Storage.current().volume(name, createIfMissing);
    }

    /** Deletes the volume and all its files; returns whether it existed. */
    static boolean delete(String name) {
        return Storage.current().deleteVolume(name);
    }

    /** Names of the volumes on this machine, sorted. */
    static List<String> list() {
        return Storage.current().volumes();
    }

    String name();

    /** The volume's local directory (for DuckDB, Java IO, ...). */
    Path path();

    /** The absolute local path of {@code path} inside this volume; rejects paths that would escape it. */
    Path resolve(String path);

    /** Entries directly under {@code path} ("" or "/" for the root); a file path lists that file. */
    List<FileEntry> listFiles(String path);

    List<FileEntry> listFiles();

    byte[] read(String path);

    void write(String path, byte[] data);

    void write(String path, InputStream in);

    /** Copies the local file {@code localPath} to {@code remotePath} in the volume. */
    void putFile(Path localPath, String remotePath);

    void putFile(String localPath, String remotePath);

    /** Copies the local directory tree {@code localDir} to {@code remoteDir} in the volume. */
    void putDirectory(Path localDir, String remoteDir);

    void putDirectory(String localDir, String remoteDir);

    void remove(String path);

    /** Removes a file or an empty directory; with {@code recursive}, a directory and everything in it. */
    void remove(String path, boolean recursive);

    /** Makes the writes since the last commit durable: fsyncs the files written and their directories. */
    void commit();

    /** Locally a no-op: the directory is shared, so every write is already visible. */
    void reload();
}

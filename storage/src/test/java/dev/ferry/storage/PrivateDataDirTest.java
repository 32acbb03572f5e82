package dev.ferry.storage;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The data directory and the store's files are private to their user (issue 11: they were 0755 and 0644). */
class PrivateDataDirTest {
    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void aNewStoreIsPrivateWithItsWalFiles(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("data");
        try (SqliteStore store = SqliteStore.open(dir)) {
            store.create(Store.Kind.DICT, "d");
            store.dictPutAll("d", List.of(Map.entry(Codec.encode("k"), Codec.encode("v"))));
            assertEquals("rwx------", perms(dir));
            assertEquals("rw-------", perms(dir.resolve(SqliteStore.FILE_NAME)));
            assertEquals("rw-------", perms(dir.resolve(SqliteStore.FILE_NAME + "-wal")));
        }
    }

    @Test
    void anExistingOpenDataDirAndStoreAreTightened(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("data"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        SqliteStore.open(dir).close();
        Files.setPosixFilePermissions(dir.resolve(SqliteStore.FILE_NAME), PosixFilePermissions.fromString("rw-r--r--"));
        SqliteStore.open(dir).close();
        assertEquals("rwx------", perms(dir));
        assertEquals("rw-------", perms(dir.resolve(SqliteStore.FILE_NAME)));
    }
}

package dev.ferry.kernel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** history.sqlite is private to its user, in a private data directory (it was 0644 in a 0755 directory). */
class HistoryFilesTest {
    @Test
    void historyIsPrivate(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("data");
        History h = new History(dir);
        h.record(1, "int x = 1;");
        h.close();
        Path db = dir.resolve("history.sqlite");
        for (int i = 0; i < 200 && !Files.exists(db); i++) { // the database opens on History's own thread
            Thread.sleep(25);
        }
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(db)));
    }
}

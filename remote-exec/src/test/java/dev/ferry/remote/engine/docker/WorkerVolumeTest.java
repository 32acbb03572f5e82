package dev.ferry.remote.engine.docker;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class WorkerVolumeTest {
    @Test
    void theVolumeIsNamedByTheFilesNamesAndContents(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.jar"), "one");
        Path b = Files.writeString(dir.resolve("b.jar"), "two");
        WorkerVolume v = new WorkerVolume(null, "tcp://x");
        String key = v.key(Map.of(a, "opt/ferry/worker/0-a.jar", b, "opt/ferry/worker/1-b.jar"));
        assertEquals(16, key.length());
        assertEquals(key, new WorkerVolume(null, "tcp://x").key(Map.of(b, "opt/ferry/worker/1-b.jar", a, "opt/ferry/worker/0-a.jar")));
        assertNotEquals(key, v.key(Map.of(a, "opt/ferry/worker/1-a.jar", b, "opt/ferry/worker/0-b.jar")), "order on the class path");
        Path c = Files.writeString(dir.resolve("c.jar"), "two, changed");
        Files.setLastModifiedTime(c, Files.getLastModifiedTime(b));
        assertNotEquals(key, new WorkerVolume(null, "tcp://x").key(Map.of(a, "opt/ferry/worker/0-a.jar", c, "opt/ferry/worker/1-b.jar")),
                "another content under the same name");
        Path classes = Files.createDirectories(dir.resolve("classes/x"));
        Files.writeString(classes.resolve("A.class"), "1");
        String withDir = v.key(Map.of(dir.resolve("classes"), "opt/ferry/worker/0-classes"));
        // rebuilt: another content and a later mtime (file digests are memoized by path, size and mtime; a rewrite
        // within the same millisecond with the same size would look unchanged)
        Files.writeString(classes.resolve("A.class"), "2");
        Files.setLastModifiedTime(classes.resolve("A.class"), java.nio.file.attribute.FileTime.fromMillis(
                Files.getLastModifiedTime(classes.resolve("A.class")).toMillis() + 2000));
        assertNotEquals(withDir, v.key(Map.of(dir.resolve("classes"), "opt/ferry/worker/0-classes")), "a folder's files count");
    }
}

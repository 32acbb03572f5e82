package dev.ferry.storage;

import dev.ferry.spi.FerryEnv;
import dev.ferry.Volume;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VolumeTest {
    @TempDir
    Path dir;
    FerryEnv before;

    @BeforeEach
    void setDataDir() {
        before = FerryEnv.current();
        FerryEnv.install(FerryEnv.current().withProperty(FerryDirs.DATA_DIR_PROPERTY, dir.resolve("data").toString()));
    }

    @AfterEach
    void restore() {
        FerryEnv.install(before);
    }

    @Test
    void missingVolumeIsAClearErrorWithTheFix() {
        var e = assertThrows(IllegalArgumentException.class, () -> Volume.fromName("nope", false));
        assertTrue(e.getMessage().contains("Volume.fromName(\"nope\", true)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Volume.fromName("../x", true));
    }

    @Test
    void pathsMayNotEscape() {
        Volume v = Volume.fromName("v1", true);
        assertEquals(dir.resolve("data/volumes/v1").toAbsolutePath().normalize(), v.path());
        for (String bad : List.of("../x", "a/../../x", "..", "/../etc/passwd")) {
            var e = assertThrows(IllegalArgumentException.class, () -> v.write(bad, new byte[1]), bad);
            assertTrue(e.getMessage().contains("escapes volume 'v1'"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> v.read(bad), bad);
        }
        assertEquals(v.path().resolve("a/b"), v.resolve("/a/./c/../b"));
    }

    @Test
    void writeReadListRemoveCommitDelete() throws Exception {
        Volume v = Volume.fromName("v2", true);
        v.write("a/b.txt", "hello".getBytes(StandardCharsets.UTF_8));
        v.write("c.bin", new ByteArrayInputStream(new byte[] {1, 2, 3}));
        v.commit();
        v.reload();
        assertEquals("hello", new String(v.read("a/b.txt"), StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {1, 2, 3}, Volume.fromName("v2").read("c.bin")); // another handle sees it
        List<Volume.FileEntry> root = v.listFiles("/");
        assertEquals(List.of("a", "c.bin"), root.stream().map(Volume.FileEntry::path).toList());
        assertTrue(root.get(0).isDir());
        assertEquals(3, root.get(1).size());
        assertEquals("a/b.txt", v.listFiles("a").get(0).path());
        assertThrows(IllegalArgumentException.class, () -> v.read("missing"));

        Path local = dir.resolve("local");
        Files.createDirectories(local.resolve("sub"));
        Files.writeString(local.resolve("x.csv"), "id\n1\n");
        Files.writeString(local.resolve("sub/y.csv"), "id\n2\n");
        v.putDirectory(local, "up");
        v.putFile(local.resolve("x.csv"), "single.csv");
        v.commit();
        assertEquals("id\n2\n", new String(v.read("up/sub/y.csv"), StandardCharsets.UTF_8));
        assertEquals("id\n1\n", new String(v.read("single.csv"), StandardCharsets.UTF_8));

        var e = assertThrows(IllegalArgumentException.class, () -> v.remove("up"));
        assertTrue(e.getMessage().contains("remove(path, true)"), e.getMessage());
        v.remove("up", true);
        v.remove("c.bin");
        assertFalse(Files.exists(v.path().resolve("up")));
        assertThrows(IllegalArgumentException.class, () -> v.remove(""));

        Volume.fromName("v3", true);
        assertEquals(List.of("v2", "v3"), Volume.list());
        assertTrue(Volume.delete("v2"));
        assertFalse(Volume.delete("v2"));
        assertEquals(List.of("v3"), Volume.list());
    }
}

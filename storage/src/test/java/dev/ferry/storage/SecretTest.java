package dev.ferry.storage;

import dev.ferry.spi.FerryEnv;
import dev.ferry.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretTest {
    static final String VALUE = "sk-very-secret-123";
    @TempDir
    Path dir;
    FerryEnv before;

    @BeforeEach
    void setConfigDir() {
        before = FerryEnv.current();
        FerryEnv.install(FerryEnv.current().withProperty(FerryDirs.CONFIG_DIR_PROPERTY, dir.resolve("cfg").toString()));
    }

    @AfterEach
    void restore() {
        FerryEnv.install(before);
    }

    @Test
    void createStoresWithMode0600AndReadsBack() throws Exception {
        Secret s = Secret.create("openai", Map.of("API_KEY", VALUE));
        Path file = dir.resolve("cfg/secrets/openai.env");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        assertEquals(VALUE, s.get("API_KEY"));
        Secret r = Secret.fromName("openai");
        assertEquals(VALUE, r.get("API_KEY"));
        assertEquals(Set.of("API_KEY"), r.keys());
        assertEquals(Map.of("API_KEY", VALUE), r.asEnv());
        assertEquals("Secret[name=openai, keys=[API_KEY], values hidden]", r.toString());

        var e = assertThrows(IllegalStateException.class, () -> Secret.create("openai", Map.of("API_KEY", "x")));
        assertTrue(e.getMessage().contains("true"), e.getMessage());
        assertFalse(e.getMessage().contains(VALUE));
        Secret.create("openai", Map.of("API_KEY", "new \"quoted\"\nvalue"), true);
        assertEquals("new \"quoted\"\nvalue", Secret.fromName("openai").get("API_KEY"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        assertEquals(List.of("openai"), Secret.list());
        assertTrue(Secret.delete("openai"));
        assertEquals(List.of(), Secret.list());
    }

    @Test
    void missingSecretNamesTheFileAndTheFix() {
        var e = assertThrows(IllegalArgumentException.class, () -> Secret.fromName("nope"));
        assertTrue(e.getMessage().contains(dir.resolve("cfg/secrets/nope.env").toString()), e.getMessage());
        assertTrue(e.getMessage().contains("Secret.create(\"nope\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Secret.fromName("../x"));
    }

    @Test
    void valuesNeverInToStringOrErrors() {
        Secret s = Secret.fromMap(Map.of("TOKEN", VALUE));
        assertEquals("Secret[keys=[TOKEN], values hidden]", s.toString());
        var e = assertThrows(IllegalArgumentException.class, () -> s.get("OTHER"));
        assertFalse(e.getMessage().contains(VALUE), e.getMessage());
        assertTrue(e.getMessage().contains("TOKEN"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> FileSecret.parse("GOOD=1\nthis is " + VALUE + "\n", "f.env"));
        assertFalse(bad.getMessage().contains(VALUE), bad.getMessage());
        assertTrue(bad.getMessage().contains("line 2"), bad.getMessage());
    }

    @Test
    void dotenvParsing() throws Exception {
        Path f = dir.resolve("x.env");
        Files.writeString(f, """
                # a comment
                A=plain
                export B = "double \\"q\\" \\n x" 
                C='single # not a comment'
                D=value # comment
                EMPTY=

                """);
        Secret s = Secret.fromDotenv(f);
        assertEquals(List.of("A", "B", "C", "D", "EMPTY"), List.copyOf(s.keys()));
        assertEquals("plain", s.get("A"));
        assertEquals("double \"q\" \n x", s.get("B"));
        assertEquals("single # not a comment", s.get("C"));
        assertEquals("value", s.get("D"));
        assertEquals("", s.get("EMPTY"));
    }

    @Test
    void fromEnvMissingVariableIsAClearError() {
        String path = System.getenv("PATH");
        assertEquals(path, Secret.fromEnv("PATH").get("PATH"));
        var e = assertThrows(IllegalArgumentException.class, () -> Secret.fromEnv("PATH", "FERRY_NO_SUCH_VAR_X"));
        assertTrue(e.getMessage().contains("FERRY_NO_SUCH_VAR_X"), e.getMessage());
        assertFalse(e.getMessage().contains(path));
    }
}

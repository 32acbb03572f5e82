package dev.ferry.storage;

import dev.ferry.spi.FerryEnv;
import dev.ferry.Secret;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SecretCommandTest {
    private Path dir;
    private FerryEnv before;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @BeforeEach
    void configDir() throws Exception {
        dir = Files.createTempDirectory("secret-cmd");
        before = FerryEnv.current();
        FerryEnv.install(FerryEnv.current().withProperty(FerryDirs.CONFIG_DIR_PROPERTY, dir.toString()));
    }

    @AfterEach
    void reset() {
        FerryEnv.install(before);
    }

    private int run(String stdin, Map<String, String> env, String... args) {
        return SecretCommand.run(List.of(args), env, new PrintStream(out, true), new PrintStream(err, true), null,
                new BufferedReader(new StringReader(stdin)));
    }

    @Test
    void valuesComeFromTheEnvironmentOrStandardInputNeverTheCommandLine() {
        assertEquals(0, run("typed-value\n", Map.of("API_KEY", "from-env"), "create", "svc", "API_KEY", "OTHER"));
        Secret s = Secret.fromName("svc");
        assertEquals("from-env", s.get("API_KEY"));
        assertEquals("typed-value", s.get("OTHER"));
        assertFalse(out.toString().contains("from-env") || out.toString().contains("typed-value"), out.toString());
        assertEquals(0, run("", Map.of(), "list"));
        assertTrue(out.toString().contains("svc"), out.toString());
    }

    @Test
    void anExistingSecretNeedsOverwriteAndErrorsAreClear() {
        assertEquals(0, run("", Map.of("K", "1"), "create", "dup", "K"));
        assertEquals(1, run("", Map.of("K", "2"), "create", "dup", "K"));
        assertTrue(err.toString().startsWith("ferry-secret: "), err.toString());
        assertEquals(0, run("", Map.of("K", "2"), "create", "dup", "K", "--overwrite"));
        assertEquals("2", Secret.fromName("dup").get("K"));
        assertEquals(1, run("", Map.of(), "create", "nothing", "MISSING"));
        assertTrue(err.toString().contains("no value for MISSING"), err.toString());
        assertEquals(1, run("", Map.of(), "frobnicate"));
        assertTrue(err.toString().contains("unknown command 'frobnicate'"), err.toString());
        assertEquals(0, run("", Map.of(), "delete", "dup"));
        assertTrue(out.toString().contains("deleted secret 'dup'"), out.toString());
    }
}

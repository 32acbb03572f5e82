package dev.ferry.magics.maven;

import dev.ferry.magics.testkit.FakeSession;
import dev.ferry.magics.testkit.RecordingContext;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClasspathMagicTest {
    /** The build points java.io.tmpdir at target/tmp, which nothing else creates. */
    @BeforeAll
    static void tmpdirExists() throws Exception {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @TempDir
    Path dir;

    private Magic classpath;
    private FakeSession session;

    @BeforeEach
    void setUp() throws Exception {
        classpath = new MavenMagics().magics().get(2);
        session = new FakeSession(dir);
        Files.createDirectories(dir.resolve("lib/sub"));
        Files.createDirectories(dir.resolve("classes/pkg"));
        Files.writeString(dir.resolve("lib/a.jar"), "");
        Files.writeString(dir.resolve("lib/b.jar"), "");
        Files.writeString(dir.resolve("lib/README.txt"), "");
        Files.writeString(dir.resolve("lib/sub/c.jar"), "");
        Files.writeString(dir.resolve("classes/pkg/X.class"), "");
    }

    @Test
    void globAddsTheJarsItMatchesInOrder() throws Exception {
        RecordingContext c = RecordingContext.run(classpath, "lib/*.jar", session);
        assertEquals(List.of("a.jar", "b.jar"), session.names());
        assertEquals("Added 2 jars: a.jar, b.jar\n", c.out.toString());
        assertTrue(session.added.get(0).isAbsolute());
    }

    @Test
    void starStarCrossesFoldersAndAlreadyAddedJarsAreSkipped() throws Exception {
        RecordingContext.run(classpath, "lib/a.jar", session);
        RecordingContext c = RecordingContext.run(classpath, "lib/**.jar", session);
        assertEquals(List.of("a.jar", "b.jar", "c.jar"), session.names());
        assertEquals("Added 2 jars: b.jar, c.jar (1 already on the class path)\n", c.out.toString());
        RecordingContext again = RecordingContext.run(classpath, "lib/*", session);
        assertEquals("Nothing added: a.jar, b.jar are already on the class path\n", again.out.toString());
    }

    @Test
    void classFoldersAndSeveralArguments() throws Exception {
        RecordingContext c = RecordingContext.run(classpath, "classes " + dir.resolve("lib/sub/c.jar"), session);
        assertEquals(List.of("classes", "c.jar"), session.names());
        assertEquals("Added 1 jar and 1 folder: classes, c.jar\n", c.out.toString());
        RecordingContext folders = RecordingContext.run(classpath, "cla*", session);
        assertEquals("Nothing added: classes is already on the class path\n", folders.out.toString());
    }

    @Test
    void pathsAreRelativeToTheSessionDirectory() throws Exception {
        session.directory(dir.resolve("lib"));
        RecordingContext.run(classpath, "*.jar", session);
        assertEquals(List.of("a.jar", "b.jar"), session.names());
    }

    @Test
    void clearErrors() {
        MagicException none = assertThrows(MagicException.class, () -> RecordingContext.run(classpath, "lib/*.war", session));
        assertTrue(none.getMessage().startsWith("%classpath: 'lib/*.war' matches no jar or folder in "
                + dir.resolve("lib")), none.getMessage());
        assertTrue(none.getMessage().contains("session directory " + dir), none.getMessage());

        MagicException noDir = assertThrows(MagicException.class, () -> RecordingContext.run(classpath, "nope/*.jar", session));
        assertTrue(noDir.getMessage().contains("matches nothing"), noDir.getMessage());

        MagicException missing = assertThrows(MagicException.class, () -> RecordingContext.run(classpath, "x.jar", session));
        assertEquals("%classpath: no such file or folder: " + dir.resolve("x.jar")
                + " (relative paths start at the session directory " + dir + "; see %pwd)", missing.getMessage());

        MagicException notJar = assertThrows(MagicException.class,
                () -> RecordingContext.run(classpath, "lib/README.txt", session));
        assertTrue(notJar.getMessage().contains("is neither a jar nor a class folder"), notJar.getMessage());

        MagicException noArg = assertThrows(MagicException.class, () -> RecordingContext.run(classpath, "", session));
        assertTrue(noArg.getMessage().contains("path"), noArg.getMessage());
        assertTrue(session.added.isEmpty());
    }
}

package dev.ferry.magics.maven;

import dev.ferry.deps.Coordinates;
import dev.ferry.deps.MavenResolver;
import dev.ferry.magics.testkit.FakeSession;
import dev.ferry.magics.testkit.RecordingContext;
import static dev.ferry.magics.maven.TestRepo.dep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicRegistry;
import dev.ferry.magics.MagicSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.aether.artifact.Artifact;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** %maven and %mavenRepo against a file:// repository written by the test: no network. */
class MavenMagicTest {
    /** The build points java.io.tmpdir at target/tmp, which nothing else creates. */
    @BeforeAll
    static void tmpdirExists() throws Exception {
        Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir")));
    }

    @TempDir
    Path tmp;

    private TestRepo repo;
    private MavenResolver resolver;
    private Magic maven;
    private Magic mavenRepo;
    private FakeSession session;

    @BeforeEach
    void setUp() throws Exception {
        repo = new TestRepo(tmp.resolve("remote"))
                .artifact("com.example", "app", "1.0",
                        dep("com.example", "lib", "1.0", "")
                        + dep("com.example", "testonly", "1.0", "<scope>test</scope>")
                        + dep("com.example", "provided", "1.0", "<scope>provided</scope>")
                        + dep("com.example", "opt", "1.0", "<optional>true</optional>"))
                .artifact("com.example", "lib", "1.0", dep("com.example", "leaf", "2.0", "<scope>runtime</scope>"))
                .artifact("com.example", "leaf", "2.0", "")
                .artifact("com.example", "other", "1.0", dep("com.example", "lib", "1.0", ""))
                .artifact("com.example", "broken", "1.0", dep("com.example", "gone", "1.0", ""));
        resolver = new MavenResolver(tmp.resolve("local"),
                List.of(MavenResolver.repository("test", repo.url())));
        List<Magic> magics = new MavenMagics(resolver).magics();
        maven = magics.get(0);
        mavenRepo = magics.get(1);
        session = new FakeSession(tmp);
    }

    @AfterEach
    void tearDown() {
        resolver.close();
    }

    @Test
    void providerContributesThreeMagics() {
        MagicRegistry r = new MagicRegistry();
        new MavenMagics().magics().forEach(r::register);
        assertEquals(List.of("classpath", "maven", "mavenRepo"), r.list().stream().map(MagicSpec::name).toList());
        assertTrue(r.help("maven").contains("group:artifact:version"), r.help("maven"));
    }

    @Test
    void resolvesTransitiveRuntimeDependenciesAndAddsEveryJar() throws Exception {
        RecordingContext c = RecordingContext.run(maven, "com.example:app:1.0", session);
        assertEquals(List.of("app-1.0.jar", "lib-1.0.jar", "leaf-2.0.jar"), session.names());
        assertEquals("Added 3 jars: app-1.0.jar, lib-1.0.jar, leaf-2.0.jar\n", c.out.toString());
        for (Path p : session.added) {
            assertTrue(p.startsWith(tmp.resolve("local").toRealPath()), p + " is in the local repository");
        }
        // the download went through a progress bar: shown, updated, finished
        assertFalse(c.displays.isEmpty());
        assertFalse(c.updates.get(0));
        String last = (String) c.displays.get(c.displays.size() - 1).get("text/plain");
        assertTrue(last.startsWith("Resolved com.example:app:1.0: downloaded "), last);
        assertTrue(last.contains("files: 6"), last); // 3 poms and 3 jars
        assertTrue(last.endsWith("(done)"), last);
    }

    @Test
    void secondCallSkipsJarsAlreadyAddedAndResolvesOffline() throws Exception {
        RecordingContext.run(maven, "com.example:app:1.0", session);
        RecordingContext again = RecordingContext.run(maven, "com.example:app:1.0", session);
        assertEquals("Nothing added: app-1.0.jar, lib-1.0.jar, leaf-2.0.jar are already on the class path\n",
                again.out.toString());
        assertTrue(again.displays.isEmpty(), "a local resolution shows no progress bar");
        assertEquals(3, session.added.size());

        RecordingContext more = RecordingContext.run(maven, "com.example:other:1.0", session);
        assertEquals("Added 1 jar: other-1.0.jar (2 already on the class path)\n", more.out.toString());

        // everything is local now: resolution works with the remote repository gone
        deleteTree(repo.root);
        MavenResolver.Resolved r = resolver.resolve(List.of(Coordinates.parse("com.example:app:1.0")),
                new MavenResolver.Events() { });
        assertFalse(r.online());
        assertEquals(3, r.artifacts().size());
        // and from a resolver that never saw it: the local repository alone (offline first)
        try (MavenResolver fresh = new MavenResolver(tmp.resolve("local"),
                List.of(MavenResolver.repository("test", repo.url())))) {
            MavenResolver.Resolved local = fresh.resolve(List.of(Coordinates.parse("com.example:app:1.0")),
                    new MavenResolver.Events() { });
            assertFalse(local.online());
            assertEquals(List.of("app", "lib", "leaf"),
                    local.artifacts().stream().map(Artifact::getArtifactId).toList());
        }
    }

    @Test
    void warmResolutionFromTheLocalRepositoryIsFast() throws Exception {
        RecordingContext.run(maven, "com.example:app:1.0", session);
        List<Artifact> app = List.of(Coordinates.parse("com.example:app:1.0"));
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 20; i++) {
            long t0 = System.nanoTime();
            resolver.resolve(app, new MavenResolver.Events() { });
            best = Math.min(best, System.nanoTime() - t0);
        }
        System.out.printf("warm %%maven resolution (repeat): %.2f ms%n", best / 1e6);
        assertTrue(best < 300_000_000L, "warm resolution took " + best / 1e6 + " ms");
    }

    @Test
    void missingArtifactNamesItAndTheRepositoriesTried() {
        MagicException e = assertThrows(MagicException.class,
                () -> RecordingContext.run(maven, "com.example:nope:1.0", session));
        assertTrue(e.getMessage().startsWith("could not find com.example:nope:1.0 in test (" + repo.url()
                + "); check the coordinates"), e.getMessage());
        assertTrue(session.added.isEmpty());
    }

    @Test
    void missingTransitiveDependencyNamesItAndWhoNeedsIt() {
        MagicException e = assertThrows(MagicException.class,
                () -> RecordingContext.run(maven, "com.example:broken:1.0", session));
        assertTrue(e.getMessage().startsWith(
                "could not find com.example:gone:1.0 (a dependency of com.example:broken:1.0) in test ("),
                e.getMessage());
    }

    @Test
    void aRepositoryAddedLaterIsSearched() throws Exception {
        TestRepo second = new TestRepo(tmp.resolve("second")).artifact("org.more", "extra", "3.1", "");
        assertThrows(MagicException.class, () -> RecordingContext.run(maven, "org.more:extra:3.1", session));
        RecordingContext c = RecordingContext.run(mavenRepo, "second " + second.url(), session);
        assertTrue(c.out.toString().startsWith("Added repository second (" + second.url() + ")"), c.out.toString());
        RecordingContext ok = RecordingContext.run(maven, "org.more:extra:3.1", session);
        assertEquals("Added 1 jar: extra-3.1.jar\n", ok.out.toString());

        MagicException e = assertThrows(MagicException.class,
                () -> RecordingContext.run(maven, "org.more:absent:1", session));
        assertTrue(e.getMessage().contains("in test (" + repo.url() + "), second (" + second.url() + ")"),
                e.getMessage());

        RecordingContext list = RecordingContext.run(mavenRepo, "", session);
        assertTrue(list.out.toString().contains("test (" + repo.url() + "), second ("), list.out.toString());
        RecordingContext replaced = RecordingContext.run(mavenRepo, "second " + repo.url(), session);
        assertTrue(replaced.out.toString().startsWith("Replaced repository second"), replaced.out.toString());
    }

    @Test
    void severalCoordinatesAndExtensionClassifierForms() throws Exception {
        RecordingContext c = RecordingContext.run(maven, "com.example:leaf:2.0 com.example:other:jar:1.0", session);
        assertEquals(List.of("leaf-2.0.jar", "other-1.0.jar", "lib-1.0.jar"), session.names());
        assertTrue(c.out.toString().startsWith("Added 3 jars:"), c.out.toString());
        Artifact a = Coordinates.parse("org.lwjgl:lwjgl:jar:natives-linux:3.3.6");
        assertEquals("natives-linux", a.getClassifier());
        assertEquals("jar", a.getExtension());
        assertEquals("3.3.6", a.getVersion());
        assertEquals("org.lwjgl:lwjgl:jar:natives-linux:3.3.6", Coordinates.text(a));
    }

    @Test
    void malformedCoordinatesSayWhatIsExpected() {
        for (String bad : List.of("commons-math3", "org.apache:commons-math3", "a::1", ":b:1", "a:b:",
                "a:b:c:d:e:f", "a/b:c:1", "a:b:1:", "g:a:v\u00e9rsion!")) {
            MagicException e = assertThrows(MagicException.class, () -> RecordingContext.run(maven, bad, session), bad);
            assertTrue(e.getMessage().startsWith("%maven: malformed coordinates '" + bad + "'"), e.getMessage());
            assertTrue(e.getMessage().contains("expected group:artifact:version"), e.getMessage());
        }
        MagicException none = assertThrows(MagicException.class, () -> RecordingContext.run(maven, "", session));
        assertTrue(none.getMessage().contains("coordinates"), none.getMessage());
        assertTrue(session.added.isEmpty());
    }

    @Test
    void mavenRepoChecksItsArguments() {
        for (String bad : List.of("x ftp://example.com/repo", "x not-a-url", "x https://", "x http:///path",
                "x \"ht!tp://a b\"")) {
            MagicException e = assertThrows(MagicException.class, () -> RecordingContext.run(mavenRepo, bad, session), bad);
            assertTrue(e.getMessage().startsWith("%mavenRepo: '"), e.getMessage());
        }
        MagicException noUrl = assertThrows(MagicException.class, () -> RecordingContext.run(mavenRepo, "jitpack", session));
        assertTrue(noUrl.getMessage().contains("needs a URL"), noUrl.getMessage());
        MagicException badId = assertThrows(MagicException.class,
                () -> RecordingContext.run(mavenRepo, "'my repo' https://example.com/", session));
        assertTrue(badId.getMessage().contains("not a valid repository id"), badId.getMessage());
        assertEquals(1, resolver.repositories().size());
    }

    @Test
    void withoutASessionItSaysSo() {
        RecordingContext c = new RecordingContext(dev.ferry.magics.ArgParser.parse(maven.spec(), "a:b:1"), "", false);
        MagicException e = assertThrows(MagicException.class, () -> maven.execute(c));
        assertTrue(e.getMessage().contains("needs a Java session"), e.getMessage());
    }

    @Test
    void trainingLoadsClassesQuietlyAndLeavesNothing() throws Exception {
        Path tmpRoot = Path.of(System.getProperty("java.io.tmpdir"));
        java.util.function.Supplier<Long> leftovers = () -> {
            try (var s = Files.list(tmpRoot)) {
                return s.filter(p -> p.getFileName().toString().startsWith("ferry-maven-train")).count();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        };
        long before = leftovers.get();
        String message = MavenMagics.train();
        // the whole path ran: an offline resolution that fails the way a user's missing artifact does
        assertTrue(message.startsWith("could not find dev.ferry.train:none:1.0"), message);
        assertTrue(message.contains("check the coordinates"), message);
        assertEquals(before, leftovers.get(), "training left its temporary local repository behind");
    }

    @Test
    void localRepositoryFromSettings() throws Exception {
        Path settings = tmp.resolve("settings.xml");
        dev.ferry.spi.FerryEnv env = dev.ferry.spi.FerryEnv.of(Map.of("REPOS", "/srv/repos"), Map.of("user.home", "/home/me"));
        Files.writeString(settings, "<settings><localRepository>${user.home}/custom-repo</localRepository></settings>");
        assertEquals("/home/me/custom-repo", MavenResolver.localRepositoryIn(settings, env));
        Files.writeString(settings, "<settings><localRepository>${env.REPOS}/m2</localRepository></settings>");
        assertEquals("/srv/repos/m2", MavenResolver.localRepositoryIn(settings, env));
        Files.writeString(settings, "<settings></settings>");
        assertEquals(null, MavenResolver.localRepositoryIn(settings, env));
        assertEquals(null, MavenResolver.localRepositoryIn(tmp.resolve("absent.xml"), env));
    }

    @Test
    void theLocalRepositoryPropertyWinsOverTheHomeDefault() {
        dev.ferry.spi.FerryEnv home = dev.ferry.spi.FerryEnv.of(Map.of(), Map.of("user.home", tmp.toString()));
        assertEquals(tmp.resolve(".m2/repository"), MavenResolver.userLocalRepository(home));
        assertEquals(Path.of("/srv/m2"), MavenResolver.userLocalRepository(home.withProperty("maven.repo.local", "/srv/m2")));
    }

    private static void deleteTree(Path root) throws Exception {
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @SuppressWarnings("unused")
    private static Map<String, Object> last(List<Map<String, Object>> l) {
        return l.get(l.size() - 1);
    }
}

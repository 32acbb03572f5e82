package dev.ferry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

class ImageTest {
    static {
        new File(System.getProperty("java.io.tmpdir")).mkdirs(); // for @TempDir
    }

    private static Image typical() {
        return Image.debianSlim(17, true)
                .aptInstall("git")
                .mavenInstall("org.apache.commons:commons-math3:3.6.1")
                .env(Map.of("A", "1"))
                .runCommands("echo ready");
    }

    private static String sha16(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(s.getBytes(StandardCharsets.UTF_8))).substring(0, 16);
    }

    @Test
    void typicalRecipeRendersExactDockerfile() throws Exception {
        String maven = "maven/" + sha16("org.apache.commons:commons-math3:3.6.1") + "/";
        String expected = "FROM debian:bookworm-slim\n"
                + "RUN apt-get update && apt-get install -y --no-install-recommends openjdk-17-jdk-headless"
                + " && rm -rf /var/lib/apt/lists/*\n"
                + "RUN apt-get update && apt-get install -y --no-install-recommends git && rm -rf /var/lib/apt/lists/*\n"
                + "COPY " + maven + " /opt/ferry/lib/\n"
                + "ENV A=\"1\"\n"
                + "RUN echo ready\n";
        Image img = typical();
        assertEquals(expected, img.dockerfile());
        assertEquals(6, img.layers().size());
        assertEquals("RUN echo ready", img.layers().get(5));
        assertEquals(List.of("org.apache.commons:commons-math3:3.6.1"), img.mavenCoordinates());
        BuildContext ctx = img.context();
        assertTrue(ctx.baseDir().isEmpty());
        assertEquals(Set.of(maven), ctx.entries().keySet());
        assertInstanceOf(BuildContext.MavenJars.class, ctx.entries().get(maven));
        assertTrue(img.tag().matches("ferry/image:[0-9a-f]{16}"), img.tag());
        assertTrue(img.toString().contains("apt git"), img.toString());
        System.out.println(img);
    }

    @Test
    void debianSlimOnThisJvmAndOfflineBase() {
        assertEquals(Image.debianSlim(Runtime.version().feature(), false).dockerfile(), Image.debianSlim().dockerfile());
        assertEquals("FROM ferry/base:bookworm-jdk17\n", Image.debianSlim(17, false).dockerfile());
        assertTrue(Image.debianSlim(17, false).usesLocalBase());
        assertFalse(Image.debianSlim(17, true).usesLocalBase());
        String d21 = Image.debianSlim(21, true).dockerfile();
        assertTrue(d21.startsWith("# Debian 12 packages OpenJDK 17 only; JDK 21 comes from the local base image "
                + "ferry/base:bookworm-jdk21"), d21);
        assertTrue(d21.endsWith("\nFROM ferry/base:bookworm-jdk21\n"), d21);
        assertEquals(Image.localBase(Runtime.version().feature()), Image.LOCAL_BASE);
    }

    @Test
    void callsReturnNewObjectsAndLeaveOriginalsUnchanged(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("a.txt"), "hello");
        Image base = Image.fromRegistry("eclipse-temurin:17-jdk");
        String before = base.dockerfile();
        String tagBefore = base.tag();
        List<Image> derived = List.of(
                base.aptInstall("git"), base.mavenInstall("g:a:1"), base.pipInstall("numpy"),
                base.runCommands("true"), base.env(Map.of("X", "y")), base.workdir("/w"),
                base.addLocalDir(dir, "/d"), base.addLocalFile(f, "/f"), base.entrypoint(List.of("java")),
                base.forceBuild());
        for (Image d : derived) {
            assertNotSame(base, d);
            assertNotEquals(tagBefore, d.tag());
        }
        assertEquals(before, base.dockerfile());
        assertEquals(tagBefore, base.tag());
        assertEquals(1, base.layers().size());
        Image one = base.aptInstall("git");
        Image two = one.runCommands("echo x");
        assertEquals(2, one.layers().size());
        assertEquals(3, two.layers().size());
    }

    @Test
    void tagStableForSameRecipeAndSensitiveToEveryChange() {
        assertEquals(typical().tag(), typical().tag());
        Image t = typical();
        assertEquals(t.tag(), t.tag());
        Set<String> tags = new HashSet<>();
        tags.add(t.tag());
        tags.add(t.aptInstall("curl").tag());
        tags.add(t.mavenInstall("g:a:1").tag());
        tags.add(t.pipInstall("numpy").tag());
        tags.add(t.runCommands("echo other").tag());
        tags.add(t.env(Map.of("B", "2")).tag());
        tags.add(t.workdir("/work").tag());
        tags.add(t.entrypoint("java", "-version").tag());
        tags.add(Image.debianSlim(17, true).aptInstall("git").mavenInstall("org.apache.commons:commons-math3:3.6.2")
                .env(Map.of("A", "1")).runCommands("echo ready").tag());
        tags.add(Image.debianSlim(17, true).aptInstall("git").mavenInstall("org.apache.commons:commons-math3:3.6.1")
                .env(Map.of("A", "2")).runCommands("echo ready").tag());
        assertEquals(10, tags.size());
        // layer order matters
        Image base = Image.fromRegistry("debian:bookworm-slim");
        assertNotEquals(base.runCommands("a", "b").tag(), base.runCommands("b", "a").tag());
        assertNotEquals(base.aptInstall("git").runCommands("x").tag(), base.runCommands("x").aptInstall("git").tag());
        // env map order does not
        assertEquals(base.env(Map.of("A", "1", "B", "2")).dockerfile(), "FROM debian:bookworm-slim\nENV A=\"1\" B=\"2\"\n");
    }

    @Test
    void forceBuildChangesTagEveryTime() {
        Image t = typical();
        Image f1 = t.forceBuild();
        Image f2 = t.forceBuild();
        assertNotEquals(t.tag(), f1.tag());
        assertNotEquals(f1.tag(), f2.tag());
        assertEquals(f1.tag(), f1.tag()); // one forced value is stable
        List<String> steps = f1.layers();
        assertEquals(7, steps.size());
        assertTrue(steps.get(5).matches("LABEL dev\\.ferry\\.force=\"[0-9a-f]{32}\""), steps.get(5));
        assertEquals("RUN echo ready", steps.get(6));
        // earlier steps are untouched, so Docker reuses their cache
        assertEquals(t.layers().subList(0, 5), steps.subList(0, 5));
        assertNotEquals(Image.fromRegistry("x").forceBuild().tag(), Image.fromRegistry("x").forceBuild().tag());
    }

    @Test
    void localFilesAndDirsAreHashedByContent(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("app.jar"), "v1");
        Path tree = Files.createDirectories(dir.resolve("tree/sub"));
        Files.writeString(tree.resolve("x.txt"), "x");
        Files.writeString(dir.resolve("tree/.hidden"), "h");
        Image img = Image.fromRegistry("debian:bookworm-slim")
                .addLocalFile(file, "/opt/app/")
                .addLocalDir(dir.resolve("tree"), "/opt/tree");
        String t1 = img.tag();
        assertEquals(t1, img.tag());
        BuildContext ctx = img.context();
        assertEquals(2, ctx.entries().size());
        String fileKey = ctx.entries().keySet().stream().filter(k -> k.endsWith("/app.jar")).findFirst().orElseThrow();
        assertTrue(fileKey.matches("local/[0-9a-f]{16}/app\\.jar"), fileKey);
        assertEquals(file.toAbsolutePath(), ((BuildContext.LocalFile) ctx.entries().get(fileKey)).source());
        assertTrue(img.dockerfile().contains("COPY " + fileKey + " /opt/app/\n"), img.dockerfile());
        assertTrue(img.dockerfile().matches("(?s).*COPY local/[0-9a-f]{16}/ /opt/tree/\n"), img.dockerfile());

        Files.writeString(file, "v2"); // one byte changed
        String t2 = img.tag();
        assertNotEquals(t1, t2);
        Files.writeString(file, "v1");
        assertEquals(t1, img.tag());

        Files.writeString(dir.resolve("tree/.hidden"), "H"); // hidden files count
        String t3 = img.tag();
        assertNotEquals(t1, t3);
        Files.writeString(tree.resolve("new.txt"), "");
        assertNotEquals(t3, img.tag());

        Path spaced = Files.writeString(dir.resolve("my file.txt"), "s");
        String d = Image.fromRegistry("debian").addLocalFile(spaced, "/opt/my file.txt").dockerfile();
        assertTrue(d.matches("(?s).*COPY \\[\"local/[0-9a-f]{16}/my file\\.txt\",\"/opt/my file\\.txt\"\\]\n"), d);
    }

    @Test
    void fromDockerfileUsesContentAndDirectory(@TempDir Path dir) throws Exception {
        Path df = Files.writeString(dir.resolve("Dockerfile"), "FROM debian:bookworm-slim\r\nCOPY data /data\r\n\r\n");
        Files.writeString(dir.resolve("data"), "1");
        Image img = Image.fromDockerfile(df).runCommands("ls /data");
        assertEquals("FROM debian:bookworm-slim\nCOPY data /data\nRUN ls /data\n", img.dockerfile());
        assertEquals(dir.toAbsolutePath().normalize(), img.context().baseDir().orElseThrow());
        String t1 = img.tag();
        Files.writeString(dir.resolve("data"), "2");
        assertNotEquals(t1, img.tag());
        assertTrue(img.baseImage().isEmpty());
    }

    @Test
    void validationErrorsAreClear(@TempDir Path dir) {
        Image b = Image.fromRegistry("debian:bookworm-slim");
        assertMessage(() -> b.aptInstall("Git"), "invalid Debian package name 'Git'");
        assertMessage(() -> b.aptInstall("g"), "invalid Debian package name 'g'");
        assertMessage(() -> b.aptInstall("git; rm -rf /"), "invalid Debian package name");
        assertDoesNotThrow(() -> b.aptInstall("libstdc++6", "python3.11", "gcc-12:amd64", "git=1:2.39.2-1.1"));
        assertMessage(() -> b.mavenInstall("commons-math3"), "invalid Maven coordinates 'commons-math3'");
        assertMessage(() -> b.mavenInstall("g:a:[1.0,2.0)"), "invalid Maven coordinates");
        assertMessage(() -> b.mavenInstall("g::1"), "invalid Maven coordinates");
        assertDoesNotThrow(() -> b.mavenInstall("g:a:jar:sources:1.0"));
        assertMessage(() -> b.workdir("relative/dir"), "path must be absolute");
        assertMessage(() -> b.addLocalFile(dir.resolve("a.txt"), "a.txt"), "local path does not exist");
        assertMessage(() -> b.addLocalFile(dir.resolve("nope"), "/nope"), "local path does not exist");
        assertMessage(() -> b.addLocalDir(dir.resolve("nope"), "/nope"), "local path does not exist");
        assertMessage(() -> b.addLocalFile(dir, "/x"), "not a regular file");
        assertMessage(() -> b.env(Map.of("1BAD", "x")), "invalid environment variable name '1BAD'");
        assertMessage(() -> b.env(Map.of("A-B", "x")), "invalid environment variable name 'A-B'");
        assertMessage(() -> b.env(Map.of("A", "x\ny")), "line break");
        assertMessage(() -> b.pipInstall("numpy; rm"), "invalid pip requirement");
        assertMessage(() -> b.runCommands("echo a\necho b"), "line break");
        assertMessage(b::aptInstall, "nothing given");
        assertMessage(() -> Image.fromRegistry("Not Valid"), "invalid image reference 'Not Valid'");
        assertMessage(() -> Image.fromDockerfile(dir.resolve("missing")), "Dockerfile does not exist");
        assertMessage(() -> b.entrypoint(List.of()), "empty command");
    }

    private static void assertMessage(org.junit.jupiter.api.function.Executable call, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void envValuesAreQuotedAndEscaped() {
        String d = Image.fromRegistry("debian").env(Map.of(
                "QUOTE", "say \"hi\"", "BACK", "C:\\dir\\", "DOLLAR", "$HOME/x", "SPACE", "a b", "EMPTY", ""))
                .dockerfile();
        assertEquals("FROM debian\nENV BACK=\"C:\\\\dir\\\\\" DOLLAR=\"\\$HOME/x\" EMPTY=\"\" "
                + "QUOTE=\"say \\\"hi\\\"\" SPACE=\"a b\"\n", d);
    }

    @Test
    void otherLayersRender() {
        Image b = Image.fromRegistry("debian");
        assertEquals("FROM debian\nENTRYPOINT [\"java\",\"-cp\",\"/opt/ferry/lib/*\",\"a<b>\"]\n",
                b.entrypoint(List.of("java", "-cp", "/opt/ferry/lib/*", "a<b>")).dockerfile());
        assertEquals("FROM debian\nRUN PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir numpy "
                + "'pandas>=2.0,<3' 'requests[socks]'\n",
                b.pipInstall("numpy", "pandas>=2.0,<3", "requests[socks]").dockerfile());
        assertEquals("FROM debian\nWORKDIR /work\nRUN a\nRUN b\n", b.workdir("/work").runCommands("a", "b").dockerfile());
        assertEquals("FROM debian\nRUN echo a && \\\n    echo b\n", b.runCommands("echo a && \\\n    echo b").dockerfile());
        assertEquals(List.of("g:a:1", "g:b:2", "g:c:3"),
                b.mavenInstall("g:a:1", "g:b:2").mavenInstall("g:c:3", "g:a:1").mavenCoordinates());
    }

    @Test
    void tagTimingMicroCheck() {
        Image img = typical().pipInstall("numpy").workdir("/w").entrypoint("java");
        for (int i = 0; i < 200; i++) img.tag(); // warm up
        int n = 1000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) img.tag();
        long per = (System.nanoTime() - t0) / n;
        long c0 = System.nanoTime();
        typical().tag();
        long cold = System.nanoTime() - c0;
        // Printed, not asserted: timing depends on the machine.
        System.out.printf("Image.tag() without local files: %.3f ms per call (warm, %d calls), %.3f ms fresh recipe%n",
                per / 1e6, n, cold / 1e6);
    }

    @Test
    void recipesTravelAsJsonAndComeBackEqual() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("img-json");
        java.nio.file.Files.writeString(dir.resolve("a.txt"), "x");
        Image img = Image.debianSlim(17, false).aptInstall("git").mavenInstall("org.apache.commons:commons-math3:3.6.1")
                .env(java.util.Map.of("A", "1")).workdir("/w").addLocalDir(dir, "/d").runCommands("echo hi").forceBuild();
        Image back = Image.fromJson(img.toJson());
        assertEquals(img.tag(), back.tag());
        assertEquals(img.dockerfile(), back.dockerfile());
        assertEquals(img.toString(), back.toString());
        assertThrows(IllegalArgumentException.class, () -> Image.fromJson("{\"v\":2}"));
    }

    @Test
    void pipOnTheDebianBaseGetsPythonAndPipFromDebianFirst() {
        String d = Image.debianSlim(17, false).pipInstall("numpy").pipInstall("pandas").dockerfile();
        assertEquals("FROM ferry/base:bookworm-jdk17\n" + Image.PYTHON_STEP + "\n"
                + "RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir numpy\n"
                + "RUN PIP_BREAK_SYSTEM_PACKAGES=1 python3 -m pip install --no-cache-dir pandas\n", d);
        assertTrue(Image.PYTHON_STEP.contains("apt-get install -y --no-install-recommends python3 python3-pip"));
        assertTrue(Image.debianSlim(17, true).pipInstall("numpy").dockerfile().contains(Image.PYTHON_STEP));
        // already there, or another base (which must have pip): no extra step
        assertFalse(Image.debianSlim(17, false).aptInstall("python3-pip").pipInstall("numpy").dockerfile()
                .contains(Image.PYTHON_STEP));
        assertFalse(Image.fromRegistry("python:3.12").pipInstall("numpy").dockerfile().contains(Image.PYTHON_STEP));
        assertFalse(Image.debianSlim(17, false).aptInstall("git").dockerfile().contains("python3"));
        // the step is one of the layers, so "step N/M" numbering still matches Docker's
        assertEquals(3, Image.debianSlim(17, false).pipInstall("numpy").layers().size());
    }
}

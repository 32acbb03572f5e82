package dev.ferry.magics.maven;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

/** Writes a tiny Maven repository (jars and poms in the standard layout) into a folder, for file:// use. */
final class TestRepo {
    final Path root;

    TestRepo(Path root) {
        this.root = root;
    }

    String url() {
        return root.toUri().toString();
    }

    /** Adds group:artifact:version with a jar (one text entry) and a pom with the given dependency xml. */
    TestRepo artifact(String group, String artifact, String version, String dependenciesXml) throws IOException {
        Path dir = root.resolve(group.replace('.', '/')).resolve(artifact).resolve(version);
        Files.createDirectories(dir);
        String pom = """
                <?xml version="1.0" encoding="UTF-8"?>
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>%s</groupId>
                  <artifactId>%s</artifactId>
                  <version>%s</version>
                  <dependencies>%s</dependencies>
                </project>
                """.formatted(group, artifact, version, dependenciesXml);
        Files.writeString(dir.resolve(artifact + "-" + version + ".pom"), pom);
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (OutputStream os = Files.newOutputStream(dir.resolve(artifact + "-" + version + ".jar"));
             JarOutputStream jar = new JarOutputStream(os, mf)) {
            jar.putNextEntry(new ZipEntry(artifact + ".txt"));
            jar.write((group + ":" + artifact + ":" + version).getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return this;
    }

    static String dep(String group, String artifact, String version, String extra) {
        return "<dependency><groupId>" + group + "</groupId><artifactId>" + artifact + "</artifactId><version>"
                + version + "</version>" + extra + "</dependency>";
    }
}

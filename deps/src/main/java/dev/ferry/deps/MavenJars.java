package dev.ferry.deps;

import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;

/**
 * Resolution of Maven coordinates to jar files on this host, for code outside the magics (the image
 * builder's {@code Image.mavenInstall}): the same resolver, local repository and error messages as
 * {@code %maven}. One per process.
 */
public final class MavenJars {
    private static MavenResolver resolver;

    private MavenJars() {}

    /**
     * The jars of {@code coordinates} and their transitive runtime dependencies, in dependency order;
     * {@code log} hears about downloads. A missing artifact is a {@link DependencyException}
     * naming it and the repositories tried.
     */
    public static synchronized List<Path> resolve(List<String> coordinates, Consumer<String> log) {
        if (resolver == null) {
            resolver = MavenResolver.forUser();
        }
        var artifacts = coordinates.stream().map(Coordinates::parse).toList();
        var resolved = resolver.resolve(artifacts, new MavenResolver.Events() {
            @Override
            public void online(String coords, List<org.eclipse.aether.repository.RemoteRepository> repositories) {
                log.accept("resolving " + coords + " from " + MavenResolver.describe(repositories));
            }

            @Override
            public void downloaded(String file, long bytes, String repositoryId, long millis) {
                log.accept("downloaded " + file + " (" + MavenResolver.size(bytes) + ")");
            }
        });
        return resolved.artifacts().stream().map(org.eclipse.aether.artifact.Artifact::getPath).toList();
    }
}

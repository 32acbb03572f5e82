package dev.ferry;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a builder must put into the Docker build context for an {@link Image}: an optional base directory (the
 * directory of the Dockerfile given to {@link Image#fromDockerfile}) plus entries, keyed by their path in the
 * context, that overlay it. The rendered Dockerfile itself is not an entry: the builder supplies
 * {@link Image#dockerfile()} as the build's Dockerfile.
 */
public record BuildContext(Optional<Path> baseDir, Map<String, Entry> entries) {
    public BuildContext {
        entries = Collections.unmodifiableMap(new java.util.LinkedHashMap<>(entries));
    }

    /** One context entry. */
    public sealed interface Entry permits LocalFile, LocalDir, MavenJars, Bytes {
        /** Full hex SHA-256 of the entry's content as it went into the tag. */
        String contentHash();
    }

    /** A local file copied to the context path. */
    public record LocalFile(Path source, String contentHash) implements Entry {}

    /** A local directory whose content is copied under the context path (which ends with {@code /}). */
    public record LocalDir(Path source, String contentHash) implements Entry {}

    /**
     * A folder (path ends with {@code /}) the caller fills with the jars resolved on the host for these
     * coordinates (with their transitive dependencies). The content hash covers the coordinates only.
     */
    public record MavenJars(List<String> coordinates, String contentHash) implements Entry {
        public MavenJars {
            coordinates = List.copyOf(coordinates);
        }
    }

    /** Literal bytes. */
    public record Bytes(byte[] content, String contentHash) implements Entry {}
}

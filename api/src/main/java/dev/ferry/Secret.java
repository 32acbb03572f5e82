package dev.ferry;

import dev.ferry.spi.Storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Named key/value secrets, stored as {@code <configDir>/secrets/<name>.env} (mode 0600, directory 0700).
 * Values never appear in {@link #toString()} or in error messages. See docs/storage.md.
 */
public interface Secret {
    /** Reads the stored secret {@code name}. */
    static Secret fromName(String name) {
        return Storage.current().secret(name);
    }

    /** Stores a secret; refuses to overwrite an existing one. */
    static Secret create(String name, Map<String, String> values) {
        return create(name, values, false);
    }

    /** Stores a secret (file mode 0600, directory 0700); refuses to overwrite unless {@code overwrite}. */
    static Secret create(String name, Map<String, String> values, boolean overwrite) {
        return Storage.current().createSecret(name, values, overwrite);
    }

    /** An unnamed secret from a map (not stored). */
    static Secret fromMap(Map<String, String> values) {
        return Storage.current().secretOf(values);
    }

    /** Reads KEY=VALUE lines from a dotenv file ({@code #} comments, {@code export} prefixes, quotes). */
    static Secret fromDotenv(Path path) {
        return Storage.current().secretFromDotenv(path);
    }

    static Secret fromDotenv(String path) {
        return fromDotenv(Path.of(path));
    }

    /** The named environment variables of this process; a missing one is an error naming it. */
    static Secret fromEnv(String... names) {
        return Storage.current().secretFromEnv(names);
    }

    /** Deletes a stored secret; returns whether it existed. */
    static boolean delete(String name) {
        return Storage.current().deleteSecret(name);
    }

    /** Names of the stored secrets, sorted. */
    static List<String> list() {
        return Storage.current().secrets();
    }

    /** The secret's name, or null for one made by fromMap/fromDotenv/fromEnv. */
    String name();

    /** The value of {@code key}; an error naming the keys there are when it has none. */
    String get(String key);

    Set<String> keys();

    /** The values as environment variables for engines and processes. */
    Map<String, String> asEnv();
}

package dev.ferry.spi;

import dev.ferry.Dict;
import dev.ferry.Queue;
import dev.ferry.Secret;
import dev.ferry.Volume;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The service behind the static factories of {@link Dict}, {@link Queue}, {@link Volume} and {@link Secret}.
 * The storage module implements it ({@code dev.ferry.storage.LocalStorage}, found on the class path, over the
 * store the host set: the SQLite file of the data directory, or the kernel's store over frames in a container).
 * Each method is the factory of the same name on the user type; see those for what they do.
 */
public interface Storage {
    <K, V> Dict<K, V> dict(String name, boolean createIfMissing);

    <K, V> Dict<K, V> ephemeralDict();

    void deleteDict(String name);

    List<String> dicts();

    <T> Queue<T> queue(String name, boolean createIfMissing);

    <T> Queue<T> ephemeralQueue();

    void deleteQueue(String name);

    List<String> queues();

    Volume volume(String name, boolean createIfMissing);

    boolean deleteVolume(String name);

    List<String> volumes();

    Secret secret(String name);

    Secret createSecret(String name, Map<String, String> values, boolean overwrite);

    Secret secretOf(Map<String, String> values);

    Secret secretFromDotenv(Path path);

    Secret secretFromEnv(String... names);

    boolean deleteSecret(String name);

    List<String> secrets();

    /** The installed storage. */
    static Storage current() {
        return Holder.STORAGE.get();
    }

    /** Installs the storage (the worker does, at start). */
    static void install(Storage storage) {
        Holder.STORAGE.install(storage);
    }

    /** Where the installed storage is kept. */
    final class Holder {
        static final Installed<Storage> STORAGE = new Installed<>(Storage.class,
                "no Ferry storage in this JVM: Dict, Queue, Volume and Secret need ferry-storage on the class path");

        private Holder() {}
    }
}

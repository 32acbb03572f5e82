package dev.ferry.storage;

import dev.ferry.Dict;
import dev.ferry.Queue;
import dev.ferry.Secret;
import dev.ferry.Volume;
import dev.ferry.spi.Storage;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The storage behind the user API's Dict, Queue, Volume and Secret: dicts and queues in the default
 * {@link Store} (the host sets it: the SQLite file of the data directory, or the kernel's store over frames in
 * a container), volumes and secrets as files under {@link FerryDirs}. Found through
 * {@code META-INF/services/dev.ferry.spi.Storage}; the worker installs it at start.
 */
public final class LocalStorage implements Storage {
    @Override
    public <K, V> Dict<K, V> dict(String name, boolean createIfMissing) {
        return StoreDict.fromName(name, createIfMissing);
    }

    @Override
    public <K, V> Dict<K, V> ephemeralDict() {
        return StoreDict.ephemeral();
    }

    @Override
    public void deleteDict(String name) {
        StoreDict.delete(name);
    }

    @Override
    public List<String> dicts() {
        return StoreDict.list();
    }

    @Override
    public <T> Queue<T> queue(String name, boolean createIfMissing) {
        return StoreQueue.fromName(name, createIfMissing);
    }

    @Override
    public <T> Queue<T> ephemeralQueue() {
        return StoreQueue.ephemeral();
    }

    @Override
    public void deleteQueue(String name) {
        StoreQueue.delete(name);
    }

    @Override
    public List<String> queues() {
        return StoreQueue.list();
    }

    @Override
    public Volume volume(String name, boolean createIfMissing) {
        return DirVolume.fromName(name, createIfMissing);
    }

    @Override
    public boolean deleteVolume(String name) {
        return DirVolume.delete(name);
    }

    @Override
    public List<String> volumes() {
        return DirVolume.list();
    }

    @Override
    public Secret secret(String name) {
        return FileSecret.fromName(name);
    }

    @Override
    public Secret createSecret(String name, Map<String, String> values, boolean overwrite) {
        return FileSecret.create(name, values, overwrite);
    }

    @Override
    public Secret secretOf(Map<String, String> values) {
        return FileSecret.fromMap(values);
    }

    @Override
    public Secret secretFromDotenv(Path path) {
        return FileSecret.fromDotenv(path);
    }

    @Override
    public Secret secretFromEnv(String... names) {
        return FileSecret.fromEnv(names);
    }

    @Override
    public boolean deleteSecret(String name) {
        return FileSecret.delete(name);
    }

    @Override
    public List<String> secrets() {
        return FileSecret.list();
    }
}

package dev.ferry.spi;

import java.util.ServiceLoader;

/**
 * Where one service of the user API is kept: the one the host installed at start (the worker does, in
 * {@code WorkerMain}), else the first implementation on the class path ({@code META-INF/services}), found once.
 */
final class Installed<T> {
    private final Class<T> type;
    private final String missing;
    private volatile T service;

    Installed(Class<T> type, String missing) {
        this.type = type;
        this.missing = missing;
    }

    void install(T s) {
        service = s;
    }

    T get() {
        T s = service;
        if (s == null) {
            synchronized (this) {
                if (service == null) {
                    service = ServiceLoader.load(type, type.getClassLoader()).findFirst().orElse(null);
                }
                s = service;
            }
        }
        if (s == null) {
            throw new IllegalStateException(missing);
        }
        return s;
    }
}

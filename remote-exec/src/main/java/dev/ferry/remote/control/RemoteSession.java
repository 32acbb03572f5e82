package dev.ferry.remote.control;

import dev.ferry.remote.Worker;
import dev.ferry.remote.engine.Engine;

import java.time.Instant;

/** A worker the control plane started for {@code %%remote}: named (kept across cells) or for one cell. */
final class RemoteSession {
    final String name;
    final Engine engine;
    final String image;
    final Worker worker;
    /** The memory= it started with (MiB), or null. */
    final Long memoryMiB;
    final Instant started = Instant.now();
    volatile int cells;

    RemoteSession(String name, Engine engine, String image, Worker worker, Long memoryMiB) {
        this.name = name;
        this.engine = engine;
        this.image = image;
        this.worker = worker;
        this.memoryMiB = memoryMiB;
    }

    String describe() {
        return (name == null ? "(one cell)" : name) + " on " + engine.name() + " " + worker.id() + " image " + image;
    }
}

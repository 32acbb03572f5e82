package dev.ferry.remote.engine;


import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;

/** A worker as a local child process (frames on its descriptors 3/4, raw output on 1/2 through stderr). */
public final class ProcessPlacement implements Placement {
    private final Process process;

    private ProcessPlacement(Process process) {
        this.process = process;
    }

    public static ProcessPlacement start(WorkerLaunch launch) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(launch.command());
        pb.environment().putAll(launch.env());
        if (launch.workDir() != null) {
            pb.directory(launch.workDir().toFile());
        }
        return new ProcessPlacement(pb.start());
    }

    @Override
    public String id() {
        return Long.toString(process.pid());
    }

    @Override
    public InputStream frames() {
        return process.getInputStream();
    }

    @Override
    public InputStream raw() {
        return process.getErrorStream();
    }

    @Override
    public OutputStream input() {
        return process.getOutputStream();
    }

    @Override
    public boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public OptionalInt awaitExit(Duration wait) {
        try {
            if (process.waitFor(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                return OptionalInt.of(process.exitValue());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OptionalInt.empty();
    }

    @Override
    public void kill() {
        process.destroyForcibly();
        try { // SIGKILL is delivered asynchronously: "ended" means ended when kill returns (isAlive false)
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

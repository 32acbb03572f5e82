package dev.ferry.remote.engine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import com.github.dockerjava.core.command.WaitContainerResultCallback;
import dev.ferry.remote.engine.EngineException;
import dev.ferry.remote.engine.Placement;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker in a container: its stdout stream carries the frames (descriptor 3 is the container's stdout),
 * its stderr stream the raw output, and its stdin the frames to it. The attach is made before the
 * container starts, so nothing is lost.
 */
final class DockerPlacement implements Placement {
    private final DockerClient docker;
    private final DockerClient attachClient;
    private final String id;
    private final BytePipe frames = new BytePipe();
    private final BytePipe raw = new BytePipe();
    private final BytePipe input = new BytePipe();
    private final AtomicBoolean ended = new AtomicBoolean();
    private final AtomicBoolean removed = new AtomicBoolean();
    private final Double cpus;
    private final String host;
    private volatile Integer exitCode;
    private ResultCallback.Adapter<Frame> attach;

    /** @param cpus the CPU limit to apply once the worker answered (see {@link #started}), or null */
    DockerPlacement(DockerClient docker, String id, Double cpus, String host) {
        this(docker, docker, id, cpus, host);
    }

    /**
     * @param attachClient the client whose connection the attach takes over: on a tcp:// engine one of its own
     *     (closed with this placement), as docker-java would otherwise hand that connection, once the attach ended,
     *     to the next request while its stdin copier still holds it (the next container's stdin then closed)
     */
    DockerPlacement(DockerClient docker, DockerClient attachClient, String id, Double cpus, String host) {
        this.docker = docker;
        this.attachClient = attachClient;
        this.id = id;
        this.cpus = cpus;
        this.host = host;
    }

    /** Applies the CPU limit now that the worker's JVM is up (it starts twice as fast without one on one core). */
    @Override
    public void started() throws EngineException {
        if (cpus == null) {
            return;
        }
        try {
            docker.updateContainerCmd(id).withNanoCPUs((long) (cpus * 1_000_000_000L)).exec();
        } catch (RuntimeException e) {
            throw DockerErrors.map("applying cpu=" + cpus + " to container " + id(), e, host);
        }
    }

    /** Attaches to the created container's streams and waits until the attach is live. */
    void attach() throws InterruptedException {
        attach = attachClient.attachContainerCmd(id)
                .withStdIn(input.in())
                .withStdOut(true).withStdErr(true)
                .withFollowStream(true).withLogs(false)
                .exec(new ResultCallback.Adapter<>() {
                    @Override
                    public void onNext(Frame f) {
                        byte[] p = f.getPayload();
                        if (p == null) {
                            return;
                        }
                        if (f.getStreamType() == StreamType.STDOUT) {
                            frames.write(p, 0, p.length); // copied at once: docker-java reuses the buffer
                        } else {
                            raw.write(p, 0, p.length);
                        }
                    }

                    @Override
                    public void onError(Throwable t) {
                        end();
                    }

                    @Override
                    public void onComplete() {
                        end();
                    }
                });
        attach.awaitStarted();
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            input.close(); // docker-java's stdin copier ends on this end-of-stream instead of a closed socket
            frames.close();
            raw.close();
        }
    }

    @Override
    public String id() {
        return id.length() > 12 ? id.substring(0, 12) : id;
    }

    String fullId() {
        return id;
    }

    @Override
    public InputStream frames() {
        return frames.in();
    }

    @Override
    public InputStream raw() {
        return raw.in();
    }

    @Override
    public OutputStream input() {
        return input.out();
    }

    @Override
    public boolean isAlive() {
        return !ended.get() && !removed.get();
    }

    @Override
    public OptionalInt awaitExit(Duration wait) {
        if (exitCode != null) {
            return OptionalInt.of(exitCode);
        }
        if (removed.get()) {
            return OptionalInt.empty();
        }
        try {
            Integer code = docker.waitContainerCmd(id).exec(new WaitContainerResultCallback())
                    .awaitStatusCode(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
            exitCode = code;
            return code == null ? OptionalInt.empty() : OptionalInt.of(code);
        } catch (RuntimeException e) { // still running after the wait, or gone
            return OptionalInt.empty();
        }
    }

    @Override
    public void kill() {
        if (!removed.compareAndSet(false, true)) {
            return;
        }
        input.close();
        try {
            docker.removeContainerCmd(id).withForce(true).exec();
        } catch (NotFoundException e) {
            // gone already
        } catch (RuntimeException e) {
            System.err.println("[ferry] could not remove container " + id() + ": " + e.getMessage());
        }
        input.close();
        end();
        try {
            if (attach != null) {
                attach.close();
            }
        } catch (java.io.IOException | RuntimeException e) {
            // closing a finished attach
        }
        if (attachClient != docker) {
            try {
                attachClient.close();
            } catch (java.io.IOException | RuntimeException e) {
                // its one connection was the attach's
            }
        }
    }
}

package dev.ferry.remote.engine.kubernetes;

import dev.ferry.remote.engine.Placement;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.ExecWatch;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A worker exec'd in a pod: the exec's stdout carries the frames (the worker's descriptor 3 is the exec's stdout),
 * its stderr the raw output and its stdin the frames to it, all over the API server's exec stream. The exec was
 * opened before the JVM started, so nothing is lost. Ends by deleting the pod.
 */
final class KubePlacement implements Placement {
    private final KubernetesClient client;
    private final String namespace;
    private final String name;
    private final ExecWatch exec;
    private final AtomicBoolean removed = new AtomicBoolean();

    KubePlacement(KubernetesClient client, String namespace, String name, ExecWatch exec) {
        this.client = client;
        this.namespace = namespace;
        this.name = name;
        this.exec = exec;
    }

    @Override
    public String id() {
        return name;
    }

    @Override
    public InputStream frames() {
        return exec.getOutput();
    }

    @Override
    public InputStream raw() {
        return exec.getError();
    }

    @Override
    public OutputStream input() {
        return exec.getInput();
    }

    @Override
    public boolean isAlive() {
        return !removed.get() && !exec.exitCode().isDone();
    }

    @Override
    public OptionalInt awaitExit(Duration wait) {
        try {
            Integer code = exec.exitCode().get(Math.max(1, wait.toMillis()), TimeUnit.MILLISECONDS);
            return code == null || code < 0 ? OptionalInt.empty() : OptionalInt.of(code);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            return OptionalInt.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return OptionalInt.empty();
        }
    }

    @Override
    public void kill() {
        if (!removed.compareAndSet(false, true)) {
            return;
        }
        try {
            exec.close();
        } catch (RuntimeException e) {
            // closing a finished exec
        }
        KubernetesEngine.delete(client, namespace, name);
    }

    /** The pod, for messages. */
    @Override
    public String toString() {
        return "pod " + namespace + "/" + name;
    }
}

package dev.ferry.remote.engine.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.ferry.gpu.DockerDeviceRequest;
import dev.ferry.remote.engine.EngineException;

/** The one place where Docker's errors become messages that say what failed and what to do. */
final class DockerErrors {
    static final String BASE_HINT = "run `install/docker.sh start` on the engine's host: it bootstraps the base"
            + " image from Debian packages (no registry needed)";

    private DockerErrors() {}

    static EngineException map(String action, Throwable e, String host) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && !(root instanceof DockerException)) {
            root = root.getCause();
        }
        String msg = String.valueOf(root.getMessage()).strip();
        if (DockerDeviceRequest.isNoGpuRuntimeError(msg)) {
            return new EngineException(DockerDeviceRequest.NO_GPU_RUNTIME_MESSAGE, e);
        }
        if (root instanceof NotFoundException && msg.toLowerCase().contains("no such image")) {
            return new EngineException(action + ": " + msg + " (build it with an Image recipe, or load it into the engine)", e);
        }
        if (root instanceof java.net.ConnectException || root instanceof java.nio.file.NoSuchFileException
                || msg.contains("Connection refused") || msg.contains("No such file or directory")) {
            return unreachable(host, e);
        }
        return new EngineException(action + " failed on the Docker engine at " + host + ": " + msg, e);
    }

    static EngineException unreachable(String host, Throwable cause) {
        return new EngineException("no Docker engine answers at " + host + ": start one (`install/docker.sh start`"
                + " here, or set DOCKER_HOST to a remote engine), or run with engine=process", cause);
    }

    static EngineException missingBase(String image) {
        return new EngineException("the base image " + image + " is not in the Docker engine; " + BASE_HINT);
    }
}

package dev.ferry.remote.engine.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.ferry.gpu.DockerDeviceRequest;
import dev.ferry.remote.engine.EngineException;

/** The one place where Docker's errors become messages that say what failed and what to do. */
final class DockerErrors {
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
        return new EngineException("the base image " + image + " is not in the Docker engine; run `"
                + baseCommand(image) + "` on the engine's host: it bootstraps the base image from Debian packages"
                + " (no registry needed)");
    }

    /** The install/docker.sh command that makes a local base image: a JDK other than 17 needs {@code --jdk DIR}. */
    static String baseCommand(String image) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(":bookworm-jdk(\\d+)$").matcher(image);
        if (!m.find() || Integer.parseInt(m.group(1)) == dev.ferry.remote.image.Image.DEBIAN_JDK) {
            return "install/docker.sh start";
        }
        int major = Integer.parseInt(m.group(1));
        return "install/docker.sh start --jdk " + (major == Runtime.version().feature()
                ? System.getProperty("java.home") : "<the folder of a JDK " + major + ">");
    }
}

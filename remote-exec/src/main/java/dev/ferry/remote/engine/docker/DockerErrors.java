package dev.ferry.remote.engine.docker;

import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.ferry.gpu.DockerDeviceRequest;
import dev.ferry.remote.engine.EngineException;

/** The one place where Docker's errors become messages that say what failed and what to do. */
final class DockerErrors {
    private DockerErrors() {}

    static EngineException map(String action, Throwable e, String host) {
        return map(action, e, host, null);
    }

    /** As {@link #map(String, Throwable, String)}; {@code certDir} is the client's DOCKER_CERT_PATH (null: unknown). */
    static EngineException map(String action, Throwable e, String host, String certDir) {
        EngineException tls = tls(e, host, certDir);
        if (tls != null) {
            return tls;
        }
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

    /**
     * A TLS failure between this client and the engine, as what went wrong and what to change; null when
     * {@code e} is no TLS failure. The checks go by exception type and by the JDK's and Docker's own words.
     */
    static EngineException tls(Throwable e, String host, String certDir) {
        String dir = certDir == null || certDir.isBlank() ? "DOCKER_CERT_PATH" : certDir;
        boolean handshake = false;
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            handshake |= t instanceof javax.net.ssl.SSLException;
            all.append(' ').append(t.getMessage());
            if (t instanceof java.security.cert.CertPathBuilderException
                    || t instanceof java.security.cert.CertPathValidatorException) {
                return untrustedEngine(host, dir, e);
            }
        }
        String msg = all.toString();
        if (msg.contains("Client sent an HTTP request to an HTTPS server")) {
            return new EngineException("the Docker engine at " + host + " speaks TLS and this client does not: set"
                    + " DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH to the folder with the engine's ca.pem and this"
                    + " client's cert.pem and key.pem", e);
        }
        if (!handshake) {
            return null;
        }
        if (msg.contains("PKIX path") || msg.contains("unable to find valid certification path")) {
            return untrustedEngine(host, dir, e);
        }
        if (msg.contains("doesn't match any of the subject alternative names") || msg.contains("No subject alternative")) {
            return new EngineException("refused the Docker engine at " + host + ": its certificate is not made for"
                    + " that address (" + msg.strip() + "); set DOCKER_HOST to an address the certificate names"
                    + " (its subjectAltName), or make the engine a certificate that names this one", e);
        }
        if (msg.contains("bad_certificate") || msg.contains("certificate_required") || msg.contains("unknown_ca")
                || msg.contains("certificate_unknown")) {
            return new EngineException("the Docker engine at " + host + " refused this client's certificate ("
                    + dir + "/cert.pem): it takes only client certificates signed by the CA it was started with"
                    + " (dockerd --tlscacert); make cert.pem and key.pem with that CA", e);
        }
        return new EngineException("the TLS connection to the Docker engine at " + host + " failed (" + msg.strip()
                + "); check DOCKER_HOST and the ca.pem, cert.pem and key.pem in " + dir, e);
    }

    private static EngineException untrustedEngine(String host, String dir, Throwable e) {
        return new EngineException("refused the Docker engine at " + host + ": its certificate does not verify"
                + " against the CA in " + dir + "/ca.pem (not signed by that CA). Put the CA that signed the"
                + " engine's certificate (its dockerd --tlscacert) in " + dir + "/ca.pem, or point DOCKER_CERT_PATH"
                + " at the folder made for this engine", e);
    }

    static EngineException unreachable(String host, Throwable cause) {
        if (host.startsWith("tcp://")) {
            return new EngineException("no Docker engine answers at " + host + ": check that dockerd runs there and"
                    + " listens on that address (dockerd -H " + host + " --tlsverify ...) and that this machine reaches"
                    + " it, or run with engine=process", cause);
        }
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
        if (!m.find() || Integer.parseInt(m.group(1)) == dev.ferry.Image.DEBIAN_JDK) {
            return "install/docker.sh start";
        }
        int major = Integer.parseInt(m.group(1));
        return "install/docker.sh start --jdk " + (major == Runtime.version().feature()
                ? dev.ferry.spi.FerryEnv.current().javaHome() : "<the folder of a JDK " + major + ">");
    }
}

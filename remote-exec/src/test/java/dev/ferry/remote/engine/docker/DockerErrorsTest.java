package dev.ferry.remote.engine.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;

import org.junit.jupiter.api.Test;

class DockerErrorsTest {

    @Test
    void aMissingBaseImageNamesTheCommandThatMakesIt() {
        assertEquals("the base image ferry/base:bookworm-jdk17 is not in the Docker engine; run `install/docker.sh"
                        + " start` on the engine's host: it bootstraps the base image from Debian packages (no registry"
                        + " needed)",
                DockerErrors.missingBase("ferry/base:bookworm-jdk17").getMessage());
    }

    @Test
    void aBaseForAnotherJdkNeedsTheJdkFlag() {
        int major = Runtime.version().feature();
        if (major != 17) {
            assertEquals("install/docker.sh start --jdk " + System.getProperty("java.home"),
                    DockerErrors.baseCommand("ferry/base:bookworm-jdk" + major));
        }
        // a kernel on JDK 25 whose engine has only the JDK 17 base: docker.sh start alone would not make it
        assertEquals(major == 25 ? "install/docker.sh start --jdk " + System.getProperty("java.home")
                        : "install/docker.sh start --jdk <the folder of a JDK 25>",
                DockerErrors.baseCommand("ferry/base:bookworm-jdk25"));
        assertEquals("install/docker.sh start", DockerErrors.baseCommand("ferry/base:bookworm-jdk17"));
    }

    private static final String HOST = "tcp://198.18.0.2:2376";

    private static Throwable wrapped(Throwable t) {
        return new RuntimeException(new java.io.UncheckedIOException(new java.io.IOException("request failed", t)));
    }

    @Test
    void anEngineCertificateFromAnotherCaIsRefusedNamingTheCaFile() {
        SSLHandshakeException ssl = new SSLHandshakeException("PKIX path building failed");
        ssl.initCause(new java.security.cert.CertPathBuilderException("unable to find valid certification path"));
        String m = DockerErrors.map("listing containers", wrapped(ssl), HOST, "/certs/client").getMessage();
        assertEquals("refused the Docker engine at tcp://198.18.0.2:2376: its certificate does not verify against the"
                + " CA in /certs/client/ca.pem (not signed by that CA). Put the CA that signed the engine's certificate"
                + " (its dockerd --tlscacert) in /certs/client/ca.pem, or point DOCKER_CERT_PATH at the folder made for"
                + " this engine", m);
        // the same words without the exception type (a TLS stack that only says it in the message)
        String again = DockerErrors.tls(wrapped(new SSLHandshakeException("PKIX path validation failed")), HOST, null)
                .getMessage();
        assertTrue(again.contains("does not verify against the CA in DOCKER_CERT_PATH/ca.pem"), again);
    }

    @Test
    void aCertificateForAnotherAddressSaysWhichAddressesItNames() {
        String m = DockerErrors.tls(wrapped(new SSLPeerUnverifiedException("Certificate for <198.18.0.9> doesn't match"
                + " any of the subject alternative names: [198.18.0.2]")), "tcp://198.18.0.9:2376", "/c").getMessage();
        assertTrue(m.startsWith("refused the Docker engine at tcp://198.18.0.9:2376: its certificate is not made for that"
                + " address") && m.contains("[198.18.0.2]") && m.contains("set DOCKER_HOST to an address the certificate"
                + " names"), m);
    }

    @Test
    void aClientCertificateTheEngineRefusesNamesTheClientsCertificate() {
        String m = DockerErrors.tls(wrapped(new SSLHandshakeException("Received fatal alert: bad_certificate")),
                HOST, "/c").getMessage();
        assertTrue(m.contains("refused this client's certificate (/c/cert.pem)") && m.contains("--tlscacert"), m);
    }

    @Test
    void plainHttpToATlsEngineSaysToTurnOnTls() {
        String m = DockerErrors.map("pinging", new RuntimeException("Status 400: Client sent an HTTP request to an"
                + " HTTPS server."), HOST).getMessage();
        assertTrue(m.startsWith("the Docker engine at tcp://198.18.0.2:2376 speaks TLS and this client does not: set"
                + " DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH"), m);
    }

    @Test
    void otherFailuresAreNoTlsProblem() {
        assertNull(DockerErrors.tls(new RuntimeException(new java.net.ConnectException("Connection refused")), HOST, "/c"));
        assertTrue(DockerErrors.map("pinging", new java.net.ConnectException("Connection refused"), HOST).getMessage()
                .startsWith("no Docker engine answers at tcp://198.18.0.2:2376: check that dockerd runs there"));
    }
}

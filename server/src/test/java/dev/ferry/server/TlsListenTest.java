package dev.ferry.server;

import dev.ferry.client.FerryClient;
import dev.ferry.client.ServerLauncher;
import dev.ferry.proto.v1.ServerStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --listen HOST:PORT}: the same services over TCP with TLS and the same token. */
class TlsListenTest {
    static ServerPaths paths;
    static ProcessHandle server;
    static String address;

    @BeforeAll
    static void start() throws Exception {
        paths = new ServerPaths(Files.createTempDirectory("ft"));
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        address = "127.0.0.1:" + port;
        server = ServerLauncher.ofThisJvm().withServerArgs(List.of("--listen", address)).start(paths);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.destroyForcibly();
            server.onExit().get();
        }
    }

    @Test
    void aClientWithTheCertificateAndTokenIsServedOverTls() throws Exception {
        try (FerryClient c = FerryClient.connect(paths, Map.of("FERRY_SERVER", address))) {
            ServerStatus s = c.status(Duration.ofSeconds(10));
            assertEquals(server.pid(), s.getPid());
            assertEquals(address, s.getTlsAddress());
        }
        assertEquals("rw-------", ServerProcessTest.perms(Tls.key(paths.dataDir())));
    }

    @Test
    void aWrongTokenIsRefusedOverTlsToo() throws Exception {
        Path wrong = paths.dataDir().resolveSibling(paths.dataDir().getFileName() + "-wrong.token");
        Files.writeString(wrong, "not-the-token\n");
        try (FerryClient c = FerryClient.connectTls(address, Tls.cert(paths.dataDir()), wrong)) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> c.status(Duration.ofSeconds(10)));
            assertEquals(Status.Code.UNAUTHENTICATED, e.getStatus().getCode());
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsNotConnected() throws Exception {
        Path other = Files.createTempDirectory("ft-other");
        Tls.ensureCertificate(other, "127.0.0.1"); // a different self-signed certificate
        try (FerryClient c = FerryClient.connectTls(address, Tls.cert(other), paths.tokenFile())) {
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> c.status(Duration.ofSeconds(10)));
            assertEquals(Status.Code.UNAVAILABLE, e.getStatus().getCode());
        }
    }

    @Test
    void aMalformedListenAddressNamesTheForm() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Tls.parse("7470"));
        assertTrue(e.getMessage().contains("is not HOST:PORT"), e.getMessage());
    }
}

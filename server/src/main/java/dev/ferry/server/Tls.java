package dev.ferry.server;

import dev.ferry.storage.FerryDirs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * TLS for {@code --listen HOST:PORT}: the server's certificate and key ({@code tls.crt}, {@code tls.key}, 0600,
 * in the data directory), a self-signed one made with openssl on first use, valid for localhost, 127.0.0.1 and
 * the listen host. A client elsewhere trusts a copy of tls.crt ({@code FERRY_SERVER_CA}).
 */
public final class Tls {
    private Tls() {
    }

    public static Path cert(Path dataDir) {
        return dataDir.resolve("tls.crt");
    }

    public static Path key(Path dataDir) {
        return dataDir.resolve("tls.key");
    }

    /** Parses {@code HOST:PORT} ({@code [::1]:PORT} for IPv6). */
    public static InetSocketAddress parse(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("--listen " + hostPort + " is not HOST:PORT (for example 127.0.0.1:7470)");
        }
        String host = hostPort.substring(0, colon).replaceAll("^\\[|\\]$", "");
        try {
            return new InetSocketAddress(host, Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--listen " + hostPort + ": " + e.getMessage() + " (give HOST:PORT, port 1-65535)");
        }
    }

    /** Makes a self-signed certificate for {@code host} unless the data directory has one. */
    static void ensureCertificate(Path dataDir, String host) throws IOException {
        Path crt = cert(dataDir);
        Path key = key(dataDir);
        if (Files.exists(crt) && Files.exists(key)) {
            return;
        }
        FerryDirs.createPrivateFile(key);
        FerryDirs.createPrivateFile(crt);
        String san = "DNS:localhost,IP:127.0.0.1" + (host.equals("localhost") || host.equals("127.0.0.1") ? ""
                : host.matches("[0-9.]+|.*:.*") ? ",IP:" + host : ",DNS:" + host);
        List<String> cmd = List.of("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                "-nodes", "-days", "825", "-subj", "/CN=ferry-server", "-addext", "subjectAltName=" + san,
                "-keyout", key.toString(), "-out", crt.toString());
        Process p;
        try {
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        } catch (IOException e) {
            Files.deleteIfExists(key);
            Files.deleteIfExists(crt);
            throw new IOException("--listen needs a TLS certificate and openssl is not there to make one (" + e.getMessage()
                    + "): install openssl, or put a PEM certificate and PKCS#8 key at " + crt + " and " + key);
        }
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                Files.deleteIfExists(key);
                Files.deleteIfExists(crt);
                throw new IOException("openssl could not make the server's TLS certificate: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while making the TLS certificate");
        }
        FerryDirs.createPrivateFile(key); // openssl may have replaced the files: tighten again
        FerryDirs.createPrivateFile(crt);
    }
}

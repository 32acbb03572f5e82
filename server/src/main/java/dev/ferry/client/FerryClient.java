package dev.ferry.client;

import com.google.protobuf.Message;
import dev.ferry.proto.Rpc;
import dev.ferry.proto.v1.ServerStatus;
import dev.ferry.proto.v1.ShutdownRequest;
import dev.ferry.proto.v1.StatusRequest;
import dev.ferry.server.ServerPaths;
import dev.ferry.server.Token;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.ChannelOption;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;
import io.grpc.stub.MetadataUtils;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A connection to a Ferry server: the socket and token of a data directory (or {@code FERRY_SERVER=unix:PATH},
 * whose token is {@code server.token} beside the socket), every call carrying the token. {@link #connectOrStart}
 * is the embedded default: it starts a server for this user when none answers.
 */
public final class FerryClient implements AutoCloseable {
    private final Path socket;
    private final ManagedChannel managed;
    private final Channel channel;

    /** One event loop (a daemon thread) for every client of this JVM. */
    private static final class Loop {
        static final EventLoopGroup GROUP = new EpollEventLoopGroup(1, r -> {
            Thread t = new Thread(r, "ferry-client-io");
            t.setDaemon(true);
            return t;
        });
    }

    private FerryClient(ManagedChannel managed, String token) {
        this.socket = null;
        this.managed = managed;
        this.channel = ClientInterceptors.intercept(managed, MetadataUtils.newAttachHeadersInterceptor(headers(token)));
    }

    private static Metadata headers(String token) {
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(Token.HEADER, Metadata.ASCII_STRING_MARSHALLER), token);
        return headers;
    }

    /**
     * Connects over TCP with TLS ({@code ferry server start --listen HOST:PORT}): {@code ca} is the server's
     * certificate (a copy of its tls.crt), {@code tokenFile} a copy of its server.token.
     */
    public static FerryClient connectTls(String hostPort, Path ca, Path tokenFile) throws IOException {
        if (!Files.exists(ca)) {
            throw new IOException("no certificate at " + ca + " to trust the server " + hostPort + ": copy the server's tls.crt"
                    + " there, or point FERRY_SERVER_CA at it");
        }
        if (!Files.exists(tokenFile)) {
            throw new IOException("no token at " + tokenFile + " for the server " + hostPort + ": copy the server's server.token"
                    + " there (0600), or point FERRY_SERVER_TOKEN_FILE at it");
        }
        java.net.InetSocketAddress a = dev.ferry.server.Tls.parse(hostPort);
        ManagedChannel ch = io.grpc.Grpc.newChannelBuilderForAddress(a.getHostString(), a.getPort(),
                io.grpc.TlsChannelCredentials.newBuilder().trustManager(ca.toFile()).build()).build();
        return new FerryClient(ch, Token.read(tokenFile));
    }

    private FerryClient(Path socket, String token) {
        this.socket = socket;
        this.managed = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(Loop.GROUP)
                .withOption(ChannelOption.SO_KEEPALIVE, null) // not an option of Unix sockets: Netty would warn on each connect
                .usePlaintext()
                .build();
        this.channel = ClientInterceptors.intercept(managed, MetadataUtils.newAttachHeadersInterceptor(headers(token)));
    }

    /** The socket to use: {@code FERRY_SERVER=unix:PATH} when set, else the data directory's. */
    public static Path socket(ServerPaths paths, Map<String, String> env) {
        String explicit = env.get("FERRY_SERVER");
        if (explicit == null || explicit.isBlank()) {
            return paths.socket();
        }
        if (!explicit.startsWith("unix:")) {
            throw new IllegalArgumentException("FERRY_SERVER=" + explicit + " is a TCP address: connect with"
                    + " FerryClient.connect(paths, env), which uses TLS for it");
        }
        return Path.of(explicit.substring("unix:".length()));
    }

    /** Connects to the server on {@code socket} with the token beside it; does not check that it answers. */
    public static FerryClient connect(Path socket) throws IOException {
        Path tokenFile = socket.resolveSibling("server.token");
        if (!Files.exists(tokenFile)) {
            throw new IOException("no Ferry server token at " + tokenFile + ": no server has run for this data directory"
                    + " (start one with: ferry server start)");
        }
        return new FerryClient(socket, Token.read(tokenFile));
    }

    /**
     * Connects to the data directory's server, or {@code FERRY_SERVER}'s: {@code unix:PATH}, or {@code HOST:PORT}
     * over TLS trusting {@code FERRY_SERVER_CA} (default: the data directory's tls.crt) with the token of
     * {@code FERRY_SERVER_TOKEN_FILE} (default: the data directory's server.token).
     */
    public static FerryClient connect(ServerPaths paths, Map<String, String> env) throws IOException {
        if (isTcp(env)) {
            return connectTls(env.get("FERRY_SERVER").strip(),
                    Path.of(env.getOrDefault("FERRY_SERVER_CA", dev.ferry.server.Tls.cert(paths.dataDir()).toString())),
                    Path.of(env.getOrDefault("FERRY_SERVER_TOKEN_FILE", paths.tokenFile().toString())));
        }
        return connect(socket(paths, env));
    }

    /** Whether {@code FERRY_SERVER} names a TCP (TLS) address. */
    public static boolean isTcp(Map<String, String> env) {
        String s = env.get("FERRY_SERVER");
        return s != null && !s.isBlank() && !s.startsWith("unix:");
    }

    /**
     * The embedded default: connects to the server of {@code paths}, starting one in the background for this
     * user when none answers (an explicit {@code FERRY_SERVER} is never started).
     */
    public static FerryClient connectOrStart(ServerPaths paths, Map<String, String> env, ServerLauncher launcher) throws IOException {
        if (isTcp(env)) {
            FerryClient c = connect(paths, env);
            if (!c.answers()) {
                c.close();
                throw new IOException("no Ferry server answers on FERRY_SERVER=" + env.get("FERRY_SERVER")
                        + ": start it there (ferry server start --listen HOST:PORT), or unset FERRY_SERVER");
            }
            return c;
        }
        Path socket = socket(paths, env);
        if (Files.exists(socket) && Files.exists(socket.resolveSibling("server.token"))) {
            FerryClient c = connect(socket);
            if (c.answers()) {
                return c;
            }
            c.close();
        }
        if (!socket.equals(paths.socket())) {
            throw new IOException("no Ferry server answers on FERRY_SERVER=unix:" + socket + ": start it there, or unset FERRY_SERVER");
        }
        launcher.start(paths);
        return connect(socket);
    }

    /**
     * Whether a server answers a status call within 5 s (a loaded machine's first call in a fresh JVM can take
     * a second); a refused connection answers at once. A wrong token is thrown, not "no answer".
     */
    public boolean answers() {
        try {
            status(Duration.ofSeconds(5));
            return true;
        } catch (StatusRuntimeException e) {
            if (e.getStatus().getCode() == Status.Code.UNAUTHENTICATED) {
                throw e;
            }
            return false;
        }
    }

    public ServerStatus status(Duration timeout) {
        return unary("Server/Status", StatusRequest.getDefaultInstance(), timeout);
    }

    /** Asks the server to stop (it answers first). */
    public void shutdown() {
        unary("Server/Shutdown", ShutdownRequest.getDefaultInstance(), Duration.ofSeconds(10));
    }

    /** A unary call to {@code "Service/Method"} of ferry.proto; {@code timeout} null: no deadline. */
    public <R extends Message> R unary(String method, Message req, Duration timeout) {
        CallOptions opts = timeout == null ? CallOptions.DEFAULT
                : CallOptions.DEFAULT.withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS);
        return Rpc.unary(channel, opts, method, req);
    }

    /** A server-streaming call to {@code "Service/Method"}. */
    public <R extends Message> Iterator<R> stream(String method, Message req) {
        return Rpc.serverStreaming(channel, CallOptions.DEFAULT, method, req);
    }

    /** The Unix socket, or null for a TLS connection. */
    public Path socket() {
        return socket;
    }

    /** The channel, with the token attached to every call. */
    public Channel channel() {
        return channel;
    }

    @Override
    public void close() {
        managed.shutdownNow();
        try {
            managed.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

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

    private FerryClient(Path socket, String token) {
        this.socket = socket;
        this.managed = NettyChannelBuilder.forAddress(new DomainSocketAddress(socket.toString()))
                .channelType(EpollDomainSocketChannel.class)
                .eventLoopGroup(Loop.GROUP)
                .withOption(ChannelOption.SO_KEEPALIVE, null) // not an option of Unix sockets: Netty would warn on each connect
                .usePlaintext()
                .build();
        Metadata headers = new Metadata();
        headers.put(Metadata.Key.of(Token.HEADER, Metadata.ASCII_STRING_MARSHALLER), token);
        this.channel = ClientInterceptors.intercept(managed, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** The socket to use: {@code FERRY_SERVER=unix:PATH} when set, else the data directory's. */
    public static Path socket(ServerPaths paths, Map<String, String> env) {
        String explicit = env.get("FERRY_SERVER");
        if (explicit == null || explicit.isBlank()) {
            return paths.socket();
        }
        if (!explicit.startsWith("unix:")) {
            throw new IllegalArgumentException("FERRY_SERVER=" + explicit + " is not supported yet: give unix:/path/to/server.sock"
                    + " (TCP with TLS is not done yet)");
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

    /** Connects to the data directory's server, or {@code FERRY_SERVER}'s. */
    public static FerryClient connect(ServerPaths paths, Map<String, String> env) throws IOException {
        return connect(socket(paths, env));
    }

    /**
     * The embedded default: connects to the server of {@code paths}, starting one in the background for this
     * user when none answers (an explicit {@code FERRY_SERVER} is never started).
     */
    public static FerryClient connectOrStart(ServerPaths paths, Map<String, String> env, ServerLauncher launcher) throws IOException {
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

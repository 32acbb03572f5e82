package dev.ferry.server;

import dev.ferry.proto.Rpc;
import dev.ferry.server.functions.CallRunner;
import dev.ferry.server.functions.CallsDb;
import dev.ferry.server.functions.FunctionService;
import dev.ferry.server.web.WebGateway;
import dev.ferry.storage.FerryDirs;
import dev.ferry.storage.SqliteStore;
import io.grpc.ServerInterceptors;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.grpc.netty.shaded.io.netty.channel.unix.DomainSocketAddress;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code ferry server}: the control plane as its own process. Listens on {@code server.sock} in the data
 * directory; every call must carry the token of {@code server.token}; serves the Server, Store and
 * Functions services of ferry.proto. One server per data directory (an OS lock on {@code server.lock}).
 */
public final class FerryServer implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger("dev.ferry.server");
    /** Exit status when another server already holds this data directory. */
    public static final int EXIT_ALREADY_RUNNING = 3;

    private final ServerPaths paths;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final SqliteStore store;
    private final FunctionService functions;
    private final dev.ferry.server.apps.AppsService apps;
    /** A client of this server, for its call workers' own function calls (made at the first one). */
    private volatile dev.ferry.client.FerryClient self;
    private final io.grpc.Server grpc;
    /** The TLS listener of {@code --listen HOST:PORT}, or null. */
    private final io.grpc.Server tcp;
    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    /** The HTTP listener of web endpoints, or null when {@code --http off}. */
    private final WebGateway web;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean closed;

    /** Thrown when another server runs for the data directory. */
    public static final class AlreadyRunning extends IOException {
        AlreadyRunning(String message) {
            super(message);
        }
    }

    private FerryServer(ServerPaths paths, String workerClassPath, String listen, String httpListen) throws IOException {
        this.paths = paths;
        FerryDirs.createPrivateDir(paths.dataDir());
        FerryDirs.createPrivateFile(paths.lockFile());
        lockChannel = FileChannel.open(paths.lockFile(), StandardOpenOption.WRITE);
        lock = lockChannel.tryLock();
        if (lock == null) {
            lockChannel.close();
            throw new AlreadyRunning("a Ferry server already runs for " + paths.dataDir() + " (" + pidLine() + ")");
        }
        long started = System.currentTimeMillis();
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            String token = Token.readOrCreate(paths.tokenFile());
            store = SqliteStore.open(paths.dataDir());
            opened.add(store);
            CallRunner runner = new CallRunner(paths.dataDir(), workerClassPath);
            functions = new FunctionService(CallsDb.open(paths.callsDb()), runner, workers());
            opened.add(functions);
            apps = dev.ferry.server.apps.AppsService.open(paths.appsDb(), functions);
            opened.add(apps);
            dev.ferry.client.FrameCalls nested = new dev.ferry.client.FrameCalls(this::self, ProcessHandle.current().pid());
            runner.nestedCalls(new dev.ferry.remote.Worker.CallHandler() {
                @Override
                public com.google.gson.JsonElement call(String target, com.google.gson.JsonObject a) {
                    throw new IllegalArgumentException("unknown call target '" + target + "'");
                }

                @Override
                public com.google.gson.JsonElement call(String target, com.google.gson.JsonObject a, byte[] body,
                                                        dev.ferry.remote.Worker.CallContext ctx) throws Exception {
                    return nested.call(target, a, body, ctx);
                }
            });
            if ("off".equals(httpListen)) {
                web = null;
            } else {
                web = WebGateway.start(httpListen == null ? WebGateway.DEFAULT_HOST + ":" + WebGateway.DEFAULT_PORT : httpListen,
                        httpListen != null, functions, runner, paths.dataDir());
                opened.add(web);
                apps.addListener(new dev.ferry.server.web.GatewayListener(web)); // serves the live apps from now on
            }
            Files.deleteIfExists(paths.socket()); // a stale socket of a server that died: the lock is ours
            boss = new EpollEventLoopGroup(1);
            workers = new EpollEventLoopGroup(2);
            opened.add(() -> boss.shutdownGracefully(0, 1, TimeUnit.SECONDS));
            opened.add(() -> workers.shutdownGracefully(0, 1, TimeUnit.SECONDS));
            TokenInterceptor auth = new TokenInterceptor(token);
            List<io.grpc.ServerServiceDefinition> services = List.of(
                    ServerInterceptors.intercept(Rpc.bind("Server", new ServerService(paths, started,
                            functions::inFlight, this::close, () -> listening(), () -> web == null ? "" : web.baseUrl())), auth),
                    ServerInterceptors.intercept(Rpc.bind("Store", new StoreService(store)), auth),
                    ServerInterceptors.intercept(Rpc.bind("Functions", functions), auth),
                    ServerInterceptors.intercept(Rpc.bind("Apps", apps), auth));
            // TLS first: a client that sees the Unix socket (the launcher's readiness signal) finds both listening
            if (listen != null) {
                java.net.InetSocketAddress addr = Tls.parse(listen);
                Tls.ensureCertificate(paths.dataDir(), addr.getHostString());
                NettyServerBuilder tls = NettyServerBuilder.forAddress(addr)
                        .channelType(io.grpc.netty.shaded.io.netty.channel.epoll.EpollServerSocketChannel.class)
                        .bossEventLoopGroup(boss)
                        .workerEventLoopGroup(workers)
                        .sslContext(io.grpc.netty.shaded.io.grpc.netty.GrpcSslContexts.forServer(
                                Tls.cert(paths.dataDir()).toFile(), Tls.key(paths.dataDir()).toFile()).build());
                services.forEach(tls::addService);
                try {
                    tcp = tls.build().start();
                    opened.add(tcp::shutdownNow);
                } catch (IOException e) {
                    throw new IOException("cannot listen on " + listen + ": " + e.getMessage()
                            + " (is the port in use? pick another with --listen HOST:PORT)", e);
                }
            } else {
                tcp = null;
            }
            NettyServerBuilder unix = NettyServerBuilder.forAddress(new DomainSocketAddress(paths.checkedSocket().toString()))
                    .channelType(EpollServerDomainSocketChannel.class)
                    .bossEventLoopGroup(boss)
                    .workerEventLoopGroup(workers)
                    .withChildOption(io.grpc.netty.shaded.io.netty.channel.ChannelOption.SO_KEEPALIVE, null);
            services.forEach(unix::addService);
            grpc = unix.build().start();
            opened.add(grpc::shutdownNow);
            Files.setPosixFilePermissions(paths.socket(), PosixFilePermissions.fromString("rw-------"));
            FerryDirs.createPrivateFile(paths.pidFile());
            Files.writeString(paths.pidFile(), ProcessHandle.current().pid() + "\n" + started + "\n", StandardCharsets.US_ASCII);
            functions.start();
            apps.start();
        } catch (IOException | RuntimeException e) {
            for (AutoCloseable c : opened) {
                try {
                    c.close();
                } catch (Exception ignored) {
                    // already failing
                }
            }
            lock.release();
            lockChannel.close();
            throw e;
        }
        LOG.info("listening on unix:" + paths.socket() + (tcp == null ? "" : " and " + listening() + " (TLS)")
                + (web == null ? "" : ", web endpoints on " + web.baseUrl())
                + " (pid " + ProcessHandle.current().pid() + ")");
    }

    /** Function calls run at once: {@code FERRY_SERVER_WORKERS}, default 4. */
    static int workers() {
        String w = System.getenv("FERRY_SERVER_WORKERS");
        try {
            return w == null || w.isBlank() ? 4 : Math.max(1, Integer.parseInt(w.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FERRY_SERVER_WORKERS=" + w + " is not a number of workers");
        }
    }

    /** "host:port" of the TLS listener, or "". */
    private String listening() {
        io.grpc.Server t = tcp;
        if (t == null || t.getListenSockets().isEmpty()) {
            return "";
        }
        java.net.InetSocketAddress a = (java.net.InetSocketAddress) t.getListenSockets().get(0);
        return a.getHostString() + ":" + a.getPort();
    }

    private String pidLine() {
        try {
            return "pid " + Files.readAllLines(paths.pidFile()).get(0);
        } catch (IOException | RuntimeException e) {
            return "its pid file is not written yet";
        }
    }

    /** Starts a server for {@code paths}; {@code workerClassPath} is what function workers run on. */
    public static FerryServer start(ServerPaths paths, String workerClassPath) throws IOException {
        return new FerryServer(paths, workerClassPath, null, null);
    }

    /** Like {@link #start(ServerPaths, String)}, also listening on {@code listen} (HOST:PORT) with TLS. */
    public static FerryServer start(ServerPaths paths, String workerClassPath, String listen) throws IOException {
        return new FerryServer(paths, workerClassPath, listen, null);
    }

    /**
     * Like {@link #start(ServerPaths, String, String)}; {@code http} is where web endpoints listen ("HOST:PORT",
     * "off", or null for 127.0.0.1:7471, or a free port when that one is taken).
     */
    public static FerryServer start(ServerPaths paths, String workerClassPath, String listen, String http) throws IOException {
        return new FerryServer(paths, workerClassPath, listen, http);
    }

    /** The web endpoints' gateway (apps call {@code deployed}/{@code stopped} on it), or null with {@code --http off}. */
    public WebGateway web() {
        return web;
    }

    public ServerPaths paths() {
        return paths;
    }

    /** The apps registry (the web gateway adds its {@link dev.ferry.server.apps.AppListener} here). */
    public dev.ferry.server.apps.AppsService apps() {
        return apps;
    }

    /** The function calls (schedules and web endpoints submit through {@link FunctionService#submit}). */
    public FunctionService functions() {
        return functions;
    }

    private dev.ferry.client.FerryClient self() {
        dev.ferry.client.FerryClient c = self;
        if (c == null) {
            synchronized (this) {
                if (self == null) {
                    try {
                        self = dev.ferry.client.FerryClient.connect(paths.socket());
                    } catch (IOException e) {
                        throw new IllegalStateException("the server cannot reach its own socket: " + e.getMessage(), e);
                    }
                }
                c = self;
            }
        }
        return c;
    }

    /** Blocks until the server stopped. */
    public void awaitStop() throws InterruptedException {
        stopped.await();
    }

    /** Stops serving; accepted calls that did not finish resume when a server starts again. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        LOG.info("stopping");
        grpc.shutdown();
        if (tcp != null) {
            tcp.shutdownNow();
        }
        try {
            if (!grpc.awaitTermination(2, TimeUnit.SECONDS)) {
                grpc.shutdownNow();
            }
        } catch (InterruptedException e) {
            grpc.shutdownNow();
            Thread.currentThread().interrupt();
        }
        if (web != null) {
            web.close();
        }
        apps.close();
        functions.close();
        if (self != null) {
            self.close();
        }
        store.close();
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        try {
            Files.deleteIfExists(paths.socket());
            Files.deleteIfExists(paths.pidFile());
            lock.release();
            lockChannel.close();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "cleanup after stop", e);
        }
        LOG.info("stopped");
        stopped.countDown();
    }

    static final String USAGE = "usage: FerryServer [--data-dir DIR] [--worker-classpath CLASSPATH] [--listen HOST:PORT]"
            + " [--http HOST:PORT|off]";

    /** The server process: {@code [--data-dir DIR] [--worker-classpath CP]}; logs to server.log. */
    public static void main(String[] args) throws Exception {
        ServerPaths paths = ServerPaths.from(System.getenv());
        String workerCp = System.getenv().getOrDefault("FERRY_WORKER_CLASSPATH", System.getProperty("java.class.path"));
        String listen = null;
        String http = System.getenv("FERRY_HTTP");
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--data-dir" -> paths = new ServerPaths(java.nio.file.Path.of(args[++i]));
                case "--worker-classpath" -> workerCp = args[++i];
                case "--listen" -> listen = args[++i];
                case "--http" -> http = args[++i];
                default -> {
                    System.err.println("unknown argument '" + args[i] + "'; " + USAGE);
                    System.exit(2);
                }
            }
        }
        FerryDirs.createPrivateDir(paths.dataDir());
        ServerLog.toFile(paths.logFile());
        FerryServer server;
        try {
            server = start(paths, workerCp, listen, http == null || http.isBlank() ? null : http.strip());
        } catch (AlreadyRunning e) {
            LOG.warning(e.getMessage());
            System.err.println("[ferry] " + e.getMessage());
            System.exit(EXIT_ALREADY_RUNNING);
            return;
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.SEVERE, "could not start", e);
            System.err.println("[ferry] the server could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::close, "ferry-server-stop"));
        server.awaitStop();
        System.exit(0);
    }
}

package dev.ferry.server;

import dev.ferry.proto.v1.ServerStatus;
import dev.ferry.proto.v1.ShutdownReply;
import dev.ferry.proto.v1.ShutdownRequest;
import dev.ferry.proto.v1.StatusRequest;
import io.grpc.stub.StreamObserver;

import java.util.function.LongSupplier;

/** The Server service of ferry.proto: status and a clean shutdown. */
final class ServerService {
    static final String VERSION = "0.1.0";
    private final ServerPaths paths;
    private final long startedAt;
    private final LongSupplier inFlight;
    private final Runnable shutdown;
    private final java.util.function.Supplier<String> tcp;
    private final java.util.function.Supplier<String> http;

    ServerService(ServerPaths paths, long startedAt, LongSupplier inFlight, Runnable shutdown, java.util.function.Supplier<String> tcp,
                  java.util.function.Supplier<String> http) {
        this.tcp = tcp;
        this.http = http;
        this.paths = paths;
        this.startedAt = startedAt;
        this.inFlight = inFlight;
        this.shutdown = shutdown;
    }

    void status(StatusRequest r, StreamObserver<ServerStatus> out) {
        long now = System.currentTimeMillis();
        out.onNext(ServerStatus.newBuilder()
                .setPid(ProcessHandle.current().pid())
                .setVersion(VERSION)
                .setAddress("unix:" + paths.socket())
                .setDataDir(paths.dataDir().toString())
                .setStartedAtMs(startedAt)
                .setUptimeMs(now - startedAt)
                .setCallsInFlight(inFlight.getAsLong())
                .setTlsAddress(tcp.get())
                .setHttpAddress(http.get())
                .build());
        out.onCompleted();
    }

    void shutdown(ShutdownRequest r, StreamObserver<ShutdownReply> out) {
        out.onNext(ShutdownReply.getDefaultInstance());
        out.onCompleted();
        Thread t = new Thread(shutdown, "ferry-server-shutdown");
        t.start();
    }
}

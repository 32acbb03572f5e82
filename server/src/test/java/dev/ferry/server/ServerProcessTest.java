package dev.ferry.server;

import com.google.protobuf.ByteString;
import dev.ferry.cli.FerryCommand;
import dev.ferry.client.FerryClient;
import dev.ferry.client.ServerLauncher;
import dev.ferry.proto.Rpc;
import dev.ferry.proto.v1.DictKey;
import dev.ferry.proto.v1.DictPutRequest;
import dev.ferry.proto.v1.Kind;
import dev.ferry.proto.v1.ObjectRef;
import dev.ferry.proto.v1.OptionalValue;
import dev.ferry.proto.v1.ServerStatus;
import dev.ferry.proto.v1.StatusRequest;
import dev.ferry.storage.Codec;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real server process on a real Unix socket in a temporary data directory. */
class ServerProcessTest {
    static ServerPaths paths;
    static ProcessHandle server;

    @BeforeAll
    static void start() throws Exception {
        paths = new ServerPaths(Files.createTempDirectory("fs"));
        server = ServerLauncher.ofThisJvm().start(paths);
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.destroyForcibly();
            server.onExit().get();
        }
    }

    static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static StatusRuntimeException statusWith(Metadata headers) {
        ManagedChannel ch = Grpc.newChannelBuilder("unix://" + paths.socket(), InsecureChannelCredentials.create()).build();
        try {
            return assertThrows(StatusRuntimeException.class, () -> Rpc.unary(
                    ClientInterceptors.intercept(ch, MetadataUtils.newAttachHeadersInterceptor(headers)),
                    CallOptions.DEFAULT, "Server/Status", StatusRequest.getDefaultInstance()));
        } finally {
            ch.shutdownNow();
        }
    }

    @Test
    void aCallWithoutOrWithAWrongTokenIsRefusedAndLogged() throws Exception {
        StatusRuntimeException none = statusWith(new Metadata());
        assertEquals(Status.Code.UNAUTHENTICATED, none.getStatus().getCode());
        assertTrue(none.getStatus().getDescription().contains("no ferry-token header"), none.getStatus().getDescription());
        Metadata wrong = new Metadata();
        wrong.put(Metadata.Key.of(Token.HEADER, Metadata.ASCII_STRING_MARSHALLER), "not-the-token");
        StatusRuntimeException bad = statusWith(wrong);
        assertEquals(Status.Code.UNAUTHENTICATED, bad.getStatus().getCode());
        assertTrue(bad.getStatus().getDescription().contains("a wrong token"));
        String log = Files.readString(paths.logFile());
        assertTrue(log.contains("refused ferry.v1.Server/Status: no ferry-token header"), log);
        assertTrue(log.contains("refused ferry.v1.Server/Status: a wrong token"), log);
    }

    @Test
    void statusNamesThePidSocketAndDataDir() throws Exception {
        try (FerryClient c = FerryClient.connect(paths.socket())) {
            ServerStatus s = c.status(Duration.ofSeconds(5));
            assertEquals(server.pid(), s.getPid());
            assertEquals("unix:" + paths.socket(), s.getAddress());
            assertEquals(paths.dataDir().toString(), s.getDataDir());
            assertTrue(s.getUptimeMs() >= 0);
        }
        StringWriter out = new StringWriter();
        int rc = FerryCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "server", "status", "--data-dir", paths.dataDir().toString());
        assertEquals(0, rc);
        assertTrue(out.toString().contains("pid       " + server.pid()), out.toString());
        assertTrue(out.toString().contains("address   unix:" + paths.socket()), out.toString());
    }

    @Test
    void theDataDirectoryAndItsFilesArePrivate() throws Exception {
        assertEquals("rwx------", perms(paths.dataDir()));
        for (Path f : new Path[]{paths.tokenFile(), paths.socket(), paths.logFile(), paths.pidFile(),
                paths.dataDir().resolve("store.sqlite"), paths.callsDb()}) {
            assertTrue(Files.exists(f), f.toString());
        }
        try (var files = Files.list(paths.dataDir())) {
            for (Path f : files.toList()) {
                assertEquals("rw-------", perms(f), f.toString());
            }
        }
    }

    @Test
    void theStoreServiceRoundTripsADictEntry() throws Exception {
        try (FerryClient c = FerryClient.connect(paths.socket())) {
            c.unary("Store/Create", ObjectRef.newBuilder().setKind(Kind.KIND_DICT).setName("d").build(), null);
            ByteString key = ByteString.copyFrom(Codec.encode("k"));
            c.unary("Store/DictPut", DictPutRequest.newBuilder().setDict("d").setKey(key)
                    .setValue(ByteString.copyFrom(Codec.encode(42))).build(), null);
            OptionalValue v = c.unary("Store/DictGet", DictKey.newBuilder().setDict("d").setKey(key).build(), null);
            assertEquals(42, Codec.decode(v.getValue().toByteArray()));
            OptionalValue absent = c.unary("Store/DictGet", DictKey.newBuilder().setDict("d")
                    .setKey(ByteString.copyFrom(Codec.encode("nope"))).build(), null);
            assertFalse(absent.hasValue());
            StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> c.unary("Store/DictGet",
                    DictKey.newBuilder().setDict("missing").setKey(key).build(), null));
            assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        }
    }

    @Test
    void theStoreServiceMovesQueueItemsAndStreamsDictItems() throws Exception {
        try (FerryClient c = FerryClient.connect(paths.socket())) {
            c.unary("Store/Create", ObjectRef.newBuilder().setKind(Kind.KIND_QUEUE).setName("q").build(), null);
            c.unary("Store/QueuePut", dev.ferry.proto.v1.QueuePutRequest.newBuilder().setQueue("q")
                    .addItems(ByteString.copyFrom(Codec.encode("a"))).addItems(ByteString.copyFrom(Codec.encode("b"))).build(), null);
            dev.ferry.proto.v1.Values got = c.unary("Store/QueueGet", dev.ferry.proto.v1.QueueGetRequest.newBuilder()
                    .setQueue("q").setMax(5).setTimeoutMs(1000).build(), null);
            assertEquals(java.util.List.of("a", "b"), got.getValuesList().stream().map(b -> Codec.decode(b.toByteArray())).toList());
            c.unary("Store/Create", ObjectRef.newBuilder().setKind(Kind.KIND_DICT).setName("items").build(), null);
            for (int i = 0; i < 3; i++) {
                c.unary("Store/DictPut", DictPutRequest.newBuilder().setDict("items").setKey(ByteString.copyFrom(Codec.encode(i)))
                        .setValue(ByteString.copyFrom(Codec.encode("v" + i))).build(), null);
            }
            java.util.List<Object> values = new java.util.ArrayList<>();
            c.<dev.ferry.proto.v1.Entry>stream("Store/DictItems", ObjectRef.newBuilder().setKind(Kind.KIND_DICT).setName("items").build())
                    .forEachRemaining(e -> values.add(Codec.decode(e.getValue().toByteArray())));
            assertEquals(java.util.List.of("v0", "v1", "v2"), values);
        }
    }

    @Test
    void aSecondServerForTheSameDataDirRefusesToStart() {
        java.io.IOException e = assertThrows(java.io.IOException.class, () -> FerryServer.start(paths, ""));
        assertTrue(e.getMessage().contains("already runs for " + paths.dataDir()), e.getMessage());
        assertTrue(e.getMessage().contains("pid " + server.pid()), e.getMessage());
    }

    @Test
    void connectOrStartStartsAServerWhenNoneAnswersAndStopEndsIt() throws Exception {
        ServerPaths other = new ServerPaths(Files.createTempDirectory("fs"));
        long pid;
        try (FerryClient c = FerryClient.connectOrStart(other, Map.of(), ServerLauncher.ofThisJvm())) {
            pid = c.status(Duration.ofSeconds(5)).getPid();
        }
        assertNotEquals(server.pid(), pid);
        try (FerryClient again = FerryClient.connectOrStart(other, Map.of(), ServerLauncher.ofThisJvm())) {
            assertEquals(pid, again.status(Duration.ofSeconds(5)).getPid(), "a second client uses the running server");
        }
        StringWriter out = new StringWriter();
        assertEquals(0, FerryCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter(), true),
                "server", "stop", "--data-dir", other.dataDir().toString()));
        assertTrue(out.toString().contains("stopped (pid " + pid + ")"), out.toString());
        assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        assertFalse(Files.exists(other.socket()), "a clean stop removes the socket");
        StringWriter status = new StringWriter();
        assertEquals(3, FerryCommand.run(new PrintWriter(status, true), new PrintWriter(new StringWriter(), true),
                "server", "status", "--data-dir", other.dataDir().toString()));
        assertTrue(status.toString().contains("no Ferry server answers on " + other.socket()), status.toString());
    }
}

package dev.ferry.proto;

import com.google.protobuf.ByteString;
import dev.ferry.proto.v1.DictKey;
import dev.ferry.proto.v1.Entry;
import dev.ferry.proto.v1.Kind;
import dev.ferry.proto.v1.ObjectRef;
import dev.ferry.proto.v1.ServerStatus;
import dev.ferry.proto.v1.StatusRequest;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RpcTest {
    /** A partial Server service. */
    static final class ServerImpl {
        void status(StatusRequest req, StreamObserver<ServerStatus> out) {
            out.onNext(ServerStatus.newBuilder().setPid(42).setAddress("in-process").build());
            out.onCompleted();
        }
    }

    /** A partial Store service: a streaming rpc and one that throws. */
    static final class StoreImpl {
        void dictItems(ObjectRef req, StreamObserver<Entry> out) {
            for (int i = 0; i < 3; i++) {
                out.onNext(Entry.newBuilder().setKey(ByteString.copyFromUtf8(req.getName() + i)).build());
            }
            out.onCompleted();
        }

        void dictGet(DictKey req, StreamObserver<?> out) {
            throw new NoSuchElementException("Dict '" + req.getDict() + "' does not exist");
        }
    }

    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(Rpc.bind("Server", new ServerImpl()))
                .addService(Rpc.bind("Store", new StoreImpl()))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void unaryRoundTrip() {
        ServerStatus s = Rpc.unary(channel, CallOptions.DEFAULT, "Server/Status", StatusRequest.getDefaultInstance());
        assertEquals(42, s.getPid());
        assertEquals("in-process", s.getAddress());
    }

    @Test
    void serverStreamingRoundTrip() {
        Iterator<Entry> it = Rpc.serverStreaming(channel, CallOptions.DEFAULT, "Store/DictItems",
                ObjectRef.newBuilder().setKind(Kind.KIND_DICT).setName("d").build());
        List<String> keys = new ArrayList<>();
        it.forEachRemaining(e -> keys.add(e.getKey().toStringUtf8()));
        assertEquals(List.of("d0", "d1", "d2"), keys);
    }

    @Test
    void anExceptionBecomesItsStatusWithTheMessage() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> Rpc.unary(channel, CallOptions.DEFAULT,
                "Store/DictGet", DictKey.newBuilder().setDict("nope").build()));
        assertEquals(Status.Code.NOT_FOUND, e.getStatus().getCode());
        assertEquals("Dict 'nope' does not exist", e.getStatus().getDescription());
    }

    @Test
    void anRpcWithoutAnImplementationIsUnimplemented() {
        StatusRuntimeException e = assertThrows(StatusRuntimeException.class, () -> Rpc.unary(channel, CallOptions.DEFAULT,
                "Server/Shutdown", dev.ferry.proto.v1.ShutdownRequest.getDefaultInstance()));
        assertEquals(Status.Code.UNIMPLEMENTED, e.getStatus().getCode());
        assertTrue(e.getStatus().getDescription().contains("ferry.v1.Server/Shutdown"));
    }

    @Test
    void unknownNamesAreRefusedWithTheName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Rpc.method("Store/Nope"));
        assertTrue(e.getMessage().contains("'Nope'"));
    }
}

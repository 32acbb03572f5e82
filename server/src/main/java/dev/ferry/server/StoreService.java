package dev.ferry.server;

import com.google.protobuf.ByteString;
import dev.ferry.proto.v1.BoolReply;
import dev.ferry.proto.v1.CountReply;
import dev.ferry.proto.v1.DictKey;
import dev.ferry.proto.v1.DictPutAllRequest;
import dev.ferry.proto.v1.DictPutRequest;
import dev.ferry.proto.v1.Empty;
import dev.ferry.proto.v1.Entry;
import dev.ferry.proto.v1.Kind;
import dev.ferry.proto.v1.ListObjectsRequest;
import dev.ferry.proto.v1.NamesReply;
import dev.ferry.proto.v1.ObjectRef;
import dev.ferry.proto.v1.OptionalValue;
import dev.ferry.proto.v1.PeekedItem;
import dev.ferry.proto.v1.QueueGetRequest;
import dev.ferry.proto.v1.QueuePeekRequest;
import dev.ferry.proto.v1.QueuePutRequest;
import dev.ferry.proto.v1.QueueRef;
import dev.ferry.proto.v1.Values;
import dev.ferry.remote.protocol.Ops;
import dev.ferry.storage.Store;
import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The Store service of ferry.proto over the server's store (store.sqlite); bound by {@link dev.ferry.proto.Rpc#bind}. */
final class StoreService {
    private static final Empty EMPTY = Empty.getDefaultInstance();
    private final Store store;

    StoreService(Store store) {
        this.store = store;
    }

    private static Store.Kind kind(Kind k) {
        return switch (k) {
            case KIND_DICT -> Store.Kind.DICT;
            case KIND_QUEUE -> Store.Kind.QUEUE;
            default -> throw new IllegalArgumentException("kind must be KIND_DICT or KIND_QUEUE, not " + k);
        };
    }

    private static <T> void reply(StreamObserver<T> out, T value) {
        out.onNext(value);
        out.onCompleted();
    }

    private static BoolReply bool(boolean b) {
        return BoolReply.newBuilder().setValue(b).build();
    }

    private static CountReply count(long n) {
        return CountReply.newBuilder().setCount(n).build();
    }

    private static OptionalValue optional(byte[] v) {
        return v == null ? OptionalValue.getDefaultInstance() : OptionalValue.newBuilder().setValue(ByteString.copyFrom(v)).build();
    }

    void exists(ObjectRef r, StreamObserver<BoolReply> out) {
        reply(out, bool(store.exists(kind(r.getKind()), r.getName())));
    }

    void create(ObjectRef r, StreamObserver<BoolReply> out) {
        reply(out, bool(store.create(kind(r.getKind()), r.getName())));
    }

    void delete(ObjectRef r, StreamObserver<BoolReply> out) {
        reply(out, bool(store.delete(kind(r.getKind()), r.getName())));
    }

    void list(ListObjectsRequest r, StreamObserver<NamesReply> out) {
        reply(out, NamesReply.newBuilder().addAllNames(store.list(kind(r.getKind()))).build());
    }

    void dictGet(DictKey r, StreamObserver<OptionalValue> out) {
        reply(out, optional(store.dictGet(r.getDict(), r.getKey().toByteArray())));
    }

    void dictContains(DictKey r, StreamObserver<BoolReply> out) {
        reply(out, bool(store.dictContains(r.getDict(), r.getKey().toByteArray())));
    }

    void dictPut(DictPutRequest r, StreamObserver<Empty> out) {
        store.dictPut(r.getDict(), r.getKey().toByteArray(), r.getValue().toByteArray());
        reply(out, EMPTY);
    }

    void dictPutIfAbsent(DictPutRequest r, StreamObserver<BoolReply> out) {
        reply(out, bool(store.dictPutIfAbsent(r.getDict(), r.getKey().toByteArray(), r.getValue().toByteArray())));
    }

    void dictPutAll(DictPutAllRequest r, StreamObserver<Empty> out) {
        List<Map.Entry<byte[], byte[]>> entries = r.getEntriesList().stream()
                .map(e -> Map.entry(e.getKey().toByteArray(), e.getValue().toByteArray())).toList();
        store.dictPutAll(r.getDict(), entries);
        reply(out, EMPTY);
    }

    void dictRemove(DictKey r, StreamObserver<OptionalValue> out) {
        reply(out, optional(store.dictRemove(r.getDict(), r.getKey().toByteArray())));
    }

    void dictSize(ObjectRef r, StreamObserver<CountReply> out) {
        reply(out, count(store.dictSize(r.getName())));
    }

    void dictItems(ObjectRef r, StreamObserver<Entry> out) {
        for (Map.Entry<byte[], byte[]> e : store.dictItems(r.getName())) {
            out.onNext(Entry.newBuilder().setKey(ByteString.copyFrom(e.getKey())).setValue(ByteString.copyFrom(e.getValue())).build());
        }
        out.onCompleted();
    }

    void dictClear(ObjectRef r, StreamObserver<Empty> out) {
        store.dictClear(r.getName());
        reply(out, EMPTY);
    }

    void queuePut(QueuePutRequest r, StreamObserver<Empty> out) {
        store.queuePut(r.getQueue(), r.hasPartition() ? r.getPartition() : null,
                r.getItemsList().stream().map(ByteString::toByteArray).toList(),
                r.hasTtlMs() ? Duration.ofMillis(r.getTtlMs()) : null);
        reply(out, EMPTY);
    }

    void queueGet(QueueGetRequest r, StreamObserver<Values> out) throws InterruptedException {
        long wait = Math.max(0, Math.min(r.getTimeoutMs(), Ops.STORE_GET_MAX_WAIT_MS));
        List<byte[]> items = store.queueGet(r.getQueue(), r.hasPartition() ? r.getPartition() : null,
                Math.max(1, r.getMax()), Duration.ofMillis(wait));
        reply(out, Values.newBuilder().addAllValues(items.stream().map(ByteString::copyFrom).toList()).build());
    }

    void queueSize(QueueRef r, StreamObserver<CountReply> out) {
        reply(out, count(store.queueSize(r.getQueue(), r.hasPartition() ? r.getPartition() : null)));
    }

    void queueTotalSize(ObjectRef r, StreamObserver<CountReply> out) {
        reply(out, count(store.queueTotalSize(r.getName())));
    }

    void queueClear(QueueRef r, StreamObserver<Empty> out) {
        store.queueClear(r.getQueue(), r.hasPartition() ? r.getPartition() : null);
        reply(out, EMPTY);
    }

    void queueClearAll(ObjectRef r, StreamObserver<Empty> out) {
        store.queueClearAll(r.getName());
        reply(out, EMPTY);
    }

    void queuePeek(QueuePeekRequest r, StreamObserver<PeekedItem> out) {
        int limit = r.getLimit() <= 0 ? 100 : r.getLimit();
        for (Store.Peeked p : store.queuePeek(r.getQueue(), r.hasPartition() ? r.getPartition() : null, r.getAfterSeq(), limit)) {
            out.onNext(PeekedItem.newBuilder().setSeq(p.seq()).setValue(ByteString.copyFrom(p.value())).build());
        }
        out.onCompleted();
    }
}

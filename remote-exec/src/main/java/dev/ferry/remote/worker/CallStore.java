package dev.ferry.remote.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.remote.protocol.Blobs;
import dev.ferry.remote.protocol.Ops;
import dev.ferry.storage.Store;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The store of a worker in a container: every operation is a {@code store.*} call to the kernel, which
 * answers with its own store ({@code dev.ferry.remote.control.StoreCalls}). No network and no file in the
 * container: Dict and Queue reach the kernel over the worker protocol. Errors come back as the exception
 * types the kernel's store threw (limits, missing objects).
 */
final class CallStore implements Store {
    private static final long CALL_TIMEOUT_MS = 60_000;

    private static KernelCalls.Answer call(String op, JsonObject args, List<byte[]> body) {
        try {
            return KernelCalls.call("store." + op, args, Blobs.encode(body), CALL_TIMEOUT_MS + Ops.STORE_GET_MAX_WAIT_MS);
        } catch (KernelCalls.CallFailed e) {
            throw rethrow(e);
        }
    }

    /** The kernel store's exception as its own type (limits, missing objects), through {@link dev.ferry.remote.protocol.Errors}. */
    static RuntimeException rethrow(KernelCalls.CallFailed e) {
        return e.remote == null ? e : e.remote;
    }

    private static JsonObject args(Kind kind, String name) {
        JsonObject o = new JsonObject();
        if (kind != null) {
            o.addProperty("kind", kind.name());
        }
        if (name != null) {
            o.addProperty("name", name);
        }
        return o;
    }

    private static JsonObject queue(String name, String partition) {
        JsonObject o = args(null, name);
        if (partition != null) {
            o.addProperty("partition", partition);
        }
        return o;
    }

    private static boolean bool(KernelCalls.Answer a) {
        return a.value().getAsBoolean();
    }

    private static long num(KernelCalls.Answer a) {
        return a.value().getAsLong();
    }

    private static byte[] one(KernelCalls.Answer a) {
        return Blobs.decode(a.body()).get(0);
    }

    @Override
    public boolean exists(Kind kind, String name) {
        return bool(call("exists", args(kind, name), List.of()));
    }

    @Override
    public boolean create(Kind kind, String name) {
        return bool(call("create", args(kind, name), List.of()));
    }

    @Override
    public String createEphemeral(Kind kind) {
        return call("createEphemeral", args(kind, null), List.of()).value().getAsString();
    }

    @Override
    public boolean delete(Kind kind, String name) {
        return bool(call("delete", args(kind, name), List.of()));
    }

    @Override
    public List<String> list(Kind kind) {
        List<String> out = new ArrayList<>();
        for (JsonElement e : call("list", args(kind, null), List.of()).value().getAsJsonArray()) {
            out.add(e.getAsString());
        }
        return out;
    }

    @Override
    public byte[] dictGet(String dict, byte[] key) {
        return one(call("dictGet", args(null, dict), List.of(key)));
    }

    @Override
    public boolean dictContains(String dict, byte[] key) {
        return bool(call("dictContains", args(null, dict), List.of(key)));
    }

    @Override
    public void dictPut(String dict, byte[] key, byte[] value) {
        call("dictPut", args(null, dict), List.of(key, value));
    }

    @Override
    public boolean dictPutIfAbsent(String dict, byte[] key, byte[] value) {
        return bool(call("dictPutIfAbsent", args(null, dict), List.of(key, value)));
    }

    @Override
    public void dictPutAll(String dict, List<Map.Entry<byte[], byte[]>> entries) {
        List<byte[]> flat = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : entries) {
            flat.add(e.getKey());
            flat.add(e.getValue());
        }
        call("dictPutAll", args(null, dict), flat);
    }

    @Override
    public byte[] dictRemove(String dict, byte[] key) {
        return one(call("dictRemove", args(null, dict), List.of(key)));
    }

    @Override
    public long dictSize(String dict) {
        return num(call("dictSize", args(null, dict), List.of()));
    }

    @Override
    public List<Map.Entry<byte[], byte[]>> dictItems(String dict) {
        List<byte[]> flat = Blobs.decode(call("dictItems", args(null, dict), List.of()).body());
        List<Map.Entry<byte[], byte[]>> out = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            out.add(new java.util.AbstractMap.SimpleEntry<>(flat.get(i), flat.get(i + 1)));
        }
        return out;
    }

    @Override
    public void dictClear(String dict) {
        call("dictClear", args(null, dict), List.of());
    }

    @Override
    public void queuePut(String queue, String partition, List<byte[]> items, Duration ttl) {
        JsonObject a = queue(queue, partition);
        if (ttl != null) {
            a.addProperty("ttl", ttl.toMillis());
        }
        call("queuePut", a, items);
    }

    @Override
    public List<byte[]> queueGet(String queue, String partition, int max, Duration timeout) throws InterruptedException {
        long deadline = timeout == null ? Long.MAX_VALUE : System.nanoTime() + timeout.toNanos();
        while (true) { // the kernel waits at most Ops.STORE_GET_MAX_WAIT_MS per call; ask again until our own deadline
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            long left = deadline == Long.MAX_VALUE ? Ops.STORE_GET_MAX_WAIT_MS : Math.max(0, (deadline - System.nanoTime()) / 1_000_000);
            JsonObject a = queue(queue, partition);
            a.addProperty("max", max);
            a.addProperty("timeout", Math.min(left, Ops.STORE_GET_MAX_WAIT_MS));
            KernelCalls.Answer ans;
            try {
                ans = KernelCalls.call("store.queueGet", a, Blobs.encode(List.of()), CALL_TIMEOUT_MS + Ops.STORE_GET_MAX_WAIT_MS);
            } catch (KernelCalls.CallFailed e) {
                if (Thread.currentThread().isInterrupted() || e.getMessage().startsWith("interrupted")) {
                    throw new InterruptedException();
                }
                throw rethrow(e);
            }
            List<byte[]> items = Blobs.decode(ans.body());
            if (!items.isEmpty() || System.nanoTime() >= deadline) {
                return items;
            }
        }
    }

    @Override
    public long queueSize(String queue, String partition) {
        return num(call("queueSize", queue(queue, partition), List.of()));
    }

    @Override
    public long queueTotalSize(String queue) {
        return num(call("queueTotalSize", queue(queue, null), List.of()));
    }

    @Override
    public void queueClear(String queue, String partition) {
        call("queueClear", queue(queue, partition), List.of());
    }

    @Override
    public void queueClearAll(String queue) {
        call("queueClearAll", queue(queue, null), List.of());
    }

    @Override
    public List<Peeked> queuePeek(String queue, String partition, long afterSeq, int limit) {
        JsonObject a = queue(queue, partition);
        a.addProperty("after", afterSeq);
        a.addProperty("limit", limit);
        KernelCalls.Answer ans = call("queuePeek", a, List.of());
        List<byte[]> values = Blobs.decode(ans.body());
        List<Peeked> out = new ArrayList<>();
        int i = 0;
        for (JsonElement seq : ans.value().getAsJsonArray()) {
            out.add(new Peeked(seq.getAsLong(), values.get(i++)));
        }
        return out;
    }

    @Override
    public void close() {
        // nothing held here
    }
}

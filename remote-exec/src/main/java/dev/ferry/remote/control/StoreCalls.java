package dev.ferry.remote.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import dev.ferry.remote.Worker;
import dev.ferry.remote.protocol.Blobs;
import dev.ferry.remote.protocol.Ops;
import dev.ferry.storage.Store;

import java.time.Duration;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The kernel's side of the store for workers in containers: answers {@code store.*} calls with the kernel's
 * own store (the worker side is {@code dev.ferry.remote.worker.CallStore}). Keys, values and items travel
 * in the call bodies ({@link Blobs}); names, partitions and durations in the JSON args.
 */
public final class StoreCalls {
    private final Supplier<Store> store;

    public StoreCalls(Supplier<Store> store) {
        this.store = store;
    }

    public JsonElement call(String target, JsonObject a, byte[] body, Worker.CallContext ctx) throws Exception {
        Store s = store.get();
        List<byte[]> in = Blobs.decode(body);
        String op = target.substring("store.".length());
        switch (op) {
            case "exists":
                return new JsonPrimitive(s.exists(kind(a), name(a)));
            case "create":
                return new JsonPrimitive(s.create(kind(a), name(a)));
            case "createEphemeral":
                return new JsonPrimitive(s.createEphemeral(kind(a)));
            case "delete":
                return new JsonPrimitive(s.delete(kind(a), name(a)));
            case "list": {
                JsonArray arr = new JsonArray();
                s.list(kind(a)).forEach(arr::add);
                return arr;
            }
            case "dictGet":
                ctx.replyBody(Blobs.encode(java.util.Collections.singletonList(s.dictGet(name(a), in.get(0)))));
                return JsonNull.INSTANCE;
            case "dictContains":
                return new JsonPrimitive(s.dictContains(name(a), in.get(0)));
            case "dictPut":
                s.dictPut(name(a), in.get(0), in.get(1));
                return JsonNull.INSTANCE;
            case "dictPutIfAbsent":
                return new JsonPrimitive(s.dictPutIfAbsent(name(a), in.get(0), in.get(1)));
            case "dictPutAll": {
                List<Map.Entry<byte[], byte[]>> entries = new ArrayList<>();
                for (int i = 0; i + 1 < in.size(); i += 2) {
                    entries.add(new AbstractMap.SimpleEntry<>(in.get(i), in.get(i + 1)));
                }
                s.dictPutAll(name(a), entries);
                return JsonNull.INSTANCE;
            }
            case "dictRemove":
                ctx.replyBody(Blobs.encode(java.util.Collections.singletonList(s.dictRemove(name(a), in.get(0)))));
                return JsonNull.INSTANCE;
            case "dictSize":
                return new JsonPrimitive(s.dictSize(name(a)));
            case "dictItems": {
                List<byte[]> flat = new ArrayList<>();
                for (Map.Entry<byte[], byte[]> e : s.dictItems(name(a))) {
                    flat.add(e.getKey());
                    flat.add(e.getValue());
                }
                ctx.replyBody(Blobs.encode(flat));
                return JsonNull.INSTANCE;
            }
            case "dictClear":
                s.dictClear(name(a));
                return JsonNull.INSTANCE;
            case "queuePut":
                s.queuePut(name(a), partition(a), in, millis(a, "ttl"));
                return JsonNull.INSTANCE;
            case "queueGet": {
                Duration t = millis(a, "timeout");
                Duration cap = Duration.ofMillis(Ops.STORE_GET_MAX_WAIT_MS);
                Duration capped = t == null || t.compareTo(cap) > 0 ? cap : t;
                ctx.replyBody(Blobs.encode(s.queueGet(name(a), partition(a), a.get("max").getAsInt(), capped)));
                return JsonNull.INSTANCE;
            }
            case "queueSize":
                return new JsonPrimitive(s.queueSize(name(a), partition(a)));
            case "queueTotalSize":
                return new JsonPrimitive(s.queueTotalSize(name(a)));
            case "queueClear":
                s.queueClear(name(a), partition(a));
                return JsonNull.INSTANCE;
            case "queueClearAll":
                s.queueClearAll(name(a));
                return JsonNull.INSTANCE;
            case "queuePeek": {
                List<Store.Peeked> peeked = s.queuePeek(name(a), partition(a), a.get("after").getAsLong(),
                        a.get("limit").getAsInt());
                JsonArray seqs = new JsonArray();
                List<byte[]> values = new ArrayList<>();
                for (Store.Peeked p : peeked) {
                    seqs.add(p.seq());
                    values.add(p.value());
                }
                ctx.replyBody(Blobs.encode(values));
                return seqs;
            }
            default:
                throw new IllegalArgumentException("unknown call target '" + target + "'");
        }
    }

    private static Store.Kind kind(JsonObject a) {
        return Store.Kind.valueOf(a.get("kind").getAsString());
    }

    private static String name(JsonObject a) {
        return a.get("name").getAsString();
    }

    private static String partition(JsonObject a) {
        return a.has("partition") && !a.get("partition").isJsonNull() ? a.get("partition").getAsString() : null;
    }

    private static Duration millis(JsonObject a, String key) {
        return a.has(key) && !a.get(key).isJsonNull() ? Duration.ofMillis(a.get(key).getAsLong()) : null;
    }
}

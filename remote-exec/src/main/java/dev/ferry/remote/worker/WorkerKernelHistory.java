package dev.ferry.remote.worker;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.ferry.magics.KernelHistory;
import dev.ferry.magics.MagicException;

import java.util.ArrayList;
import java.util.List;

/** {@link KernelHistory} for magics in a worker: {@code call} target {@code history} into the kernel. */
final class WorkerKernelHistory implements KernelHistory {
    private static final long TIMEOUT_MS = 10_000;

    @Override
    public List<Entry> tail(int n) {
        JsonObject a = new JsonObject();
        a.addProperty("hist_access_type", "tail");
        a.addProperty("n", n);
        return query(a);
    }

    @Override
    public List<Entry> range(long session, int start, int stop) {
        JsonObject a = new JsonObject();
        a.addProperty("hist_access_type", "range");
        a.addProperty("session", session);
        a.addProperty("start", start);
        a.addProperty("stop", stop);
        return query(a);
    }

    @Override
    public List<Entry> search(String pattern, int n) {
        JsonObject a = new JsonObject();
        a.addProperty("hist_access_type", "search");
        a.addProperty("pattern", pattern);
        a.addProperty("n", n);
        return query(a);
    }

    private static List<Entry> query(JsonObject args) {
        JsonElement v;
        try {
            v = KernelCalls.call("history", args, TIMEOUT_MS);
        } catch (KernelCalls.CallFailed e) {
            throw new MagicException("%history: " + e.getMessage());
        }
        List<Entry> out = new ArrayList<>();
        if (v != null && v.isJsonArray()) {
            for (JsonElement e : v.getAsJsonArray()) {
                var t = e.getAsJsonArray();
                out.add(new Entry(t.get(0).getAsLong(), t.get(1).getAsInt(), t.get(2).getAsString()));
            }
        }
        return out;
    }
}

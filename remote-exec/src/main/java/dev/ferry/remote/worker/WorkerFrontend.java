package dev.ferry.remote.worker;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.ToNumberPolicy;
import dev.ferry.remote.display.Images;
import dev.ferry.remote.display.Limits;
import dev.ferry.remote.display.Renderers;
import dev.ferry.spi.Frontend;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The worker's {@link Frontend}: bundles from the renderer registry, shown through {@link Displays} as
 * {@code display} frames; comms as {@code comm.*} calls to the kernel (docs/comms.md). Outside a connected
 * worker (a unit test) it renders and shows nothing. Found by ServiceLoader, and installed by WorkerMain.
 */
public final class WorkerFrontend implements Frontend {
    private static final Gson GSON = new GsonBuilder().setObjectToNumberStrategy(ToNumberPolicy.LONG_OR_DOUBLE).create();

    @Override
    public Map<String, Object> render(Object value) {
        return Renderers.global().render(value);
    }

    @Override
    public Map<String, Object> image(Object image) {
        return Limits.enforce(Images.bundle(image));
    }

    @Override
    public Map<String, Object> limit(Map<String, Object> bundle) {
        return Limits.enforce(bundle);
    }

    @Override
    public void show(Map<String, Object> bundle, String displayId, boolean update) {
        Displays.show(Displays.bundle(bundle), displayId, update);
    }

    @Override
    public Renderers renderers() {
        return Renderers.global();
    }

    @Override
    public void comm(String kind, Map<String, Object> args) {
        JsonObject json = new JsonObject();
        args.forEach((k, v) -> {
            JsonElement e = GSON.toJsonTree(v);
            json.add(k, k.equals("data") && !e.isJsonObject() ? new JsonObject() : e);
        });
        KernelLink.call("comm." + kind, json);
    }

    @Override
    public Map<String, Object> jsonCopy(Map<String, ?> data) {
        return map(GSON.toJsonTree(data).getAsJsonObject());
    }

    /** A comm frame from the kernel, handed to {@link dev.ferry.Comms#receive}. */
    static void receive(JsonObject f) {
        Map<String, Object> data = f.has("data") && f.get("data").isJsonObject() ? map(f.getAsJsonObject("data")) : Map.of();
        dev.ferry.Comms.receive(str(f, "kind"), str(f, "comm_id"), str(f, "target_name"), data);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(JsonObject o) {
        Map<String, Object> m = GSON.fromJson(o, LinkedHashMap.class);
        return m == null ? Map.of() : m;
    }

    private static String str(JsonObject o, String key) {
        return o.has(key) && !o.get(key).isJsonNull() ? o.get(key).getAsString() : "";
    }
}

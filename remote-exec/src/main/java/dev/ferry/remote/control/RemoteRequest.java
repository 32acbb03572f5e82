package dev.ferry.remote.control;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One {@code %%remote} cell as the notebook's worker sends it to the control plane (call target
 * {@code remote.run}); the values of {@code in=} travel in the call's body.
 *
 * @param image        the Image recipe as JSON, or null for the default image
 * @param declarations the notebook's imports, types and methods, in order
 * @param vars         the {@code in=} variables: name, declared type, Arrow or codec encoding
 * @param capture      whether the value must come back as an Arrow table ({@code out=})
 */
public record RemoteRequest(String code, int cell, String engine, String image, String gpu, Double cpus, Long memoryMiB,
                            Integer timeoutS, String session, Map<String, String> env, String network,
                            List<String> volumes, List<String> secrets, List<String> declarations,
                            JsonArray vars, boolean capture) {

    public static RemoteRequest fromJson(JsonObject o) {
        Map<String, String> env = new LinkedHashMap<>();
        if (o.has("env") && o.get("env").isJsonObject()) {
            o.getAsJsonObject("env").entrySet().forEach(e -> env.put(e.getKey(), e.getValue().getAsString()));
        }
        return new RemoteRequest(str(o, "code"), o.has("cell") ? o.get("cell").getAsInt() : 0, str(o, "engine"),
                str(o, "image"), str(o, "gpu"),
                o.has("cpu") && !o.get("cpu").isJsonNull() ? o.get("cpu").getAsDouble() : null,
                o.has("memory") && !o.get("memory").isJsonNull() ? o.get("memory").getAsLong() : null,
                o.has("timeout") && !o.get("timeout").isJsonNull() ? o.get("timeout").getAsInt() : null,
                str(o, "session"), env, str(o, "network"), list(o, "volumes"), list(o, "secrets"),
                list(o, "declarations"), o.has("vars") ? o.getAsJsonArray("vars") : new JsonArray(),
                o.has("capture") && o.get("capture").getAsBoolean());
    }

    private static String str(JsonObject o, String key) {
        JsonElement e = o.get(key);
        return e == null || e.isJsonNull() ? null : e.getAsString();
    }

    private static List<String> list(JsonObject o, String key) {
        List<String> out = new ArrayList<>();
        if (o.has(key) && o.get(key).isJsonArray()) {
            o.getAsJsonArray(key).forEach(e -> out.add(e.getAsString()));
        }
        return out;
    }
}

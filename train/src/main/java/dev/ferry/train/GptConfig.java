package dev.ferry.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The shape of a {@link Gpt}: what a checkpoint must match to be loaded into it. */
public record GptConfig(int vocab, int context, int dim, int layers, int heads) {

    public GptConfig {
        if (vocab < 2 || context < 1 || dim < 1 || layers < 1 || heads < 1 || dim % heads != 0) {
            throw new IllegalArgumentException("bad GPT config vocab=" + vocab + " context=" + context + " dim=" + dim
                    + " layers=" + layers + " heads=" + heads
                    + ": all sizes positive, vocab >= 2 and dim divisible by heads");
        }
    }

    /** CI smoke size (~30k parameters with a 96-char vocabulary). */
    public static GptConfig tiny(int vocab) {
        return new GptConfig(vocab, 16, 32, 1, 2);
    }

    /** The CPU notebook size (~0.1M parameters). */
    public static GptConfig xs(int vocab) {
        return new GptConfig(vocab, 64, 64, 2, 2);
    }

    /** The GPU size (~4.8M parameters). */
    public static GptConfig s(int vocab) {
        return new GptConfig(vocab, 256, 256, 6, 8);
    }

    public long parameters() {
        long c = dim;
        long perLayer = 4 * c + (c * 3 * c + 3 * c) + (c * c + c) + (c * 4 * c + 4 * c) + (4 * c * c + c);
        return (long) vocab * c + (long) context * c + layers * perLayer + 2 * c + c * vocab + vocab;
    }

    public String toJson() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("vocab", vocab);
        m.put("context", context);
        m.put("dim", dim);
        m.put("layers", layers);
        m.put("heads", heads);
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append('"').append(k).append("\": ").append(v));
        return sb.append('}').toString();
    }

    public static GptConfig fromJson(String json) {
        return new GptConfig(field(json, "vocab"), field(json, "context"), field(json, "dim"),
                field(json, "layers"), field(json, "heads"));
    }

    private static int field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\"\\s*:\\s*(\\d+)").matcher(json);
        if (!m.find()) throw new IllegalArgumentException("GPT config " + json + " has no \"" + name + "\"");
        return Integer.parseInt(m.group(1));
    }
}

package dev.ferry.magics;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Argument-name and value completion from a {@link MagicSpec}. */
final class Completer {
    private Completer() {
    }

    static List<String> completeArgs(MagicSpec spec, String partial) {
        int cut = partial.length();
        while (cut > 0 && !Character.isWhitespace(partial.charAt(cut - 1))) {
            cut--;
        }
        String word = partial.substring(cut);
        Set<String> used = used(spec, partial.substring(0, cut));
        List<String> out = new ArrayList<>();
        int eq = word.indexOf('=');
        if (eq > 0 && !word.startsWith("-")) {
            ArgSpec arg = spec.arg(word.substring(0, eq)).orElse(null);
            if (arg != null) {
                String typed = word.substring(eq + 1);
                for (String v : values(arg)) {
                    if (v.startsWith(typed)) {
                        out.add(arg.name() + "=" + v);
                    }
                }
            }
            return out;
        }
        for (ArgSpec a : spec.args()) {
            if (used.contains(a.name())) {
                continue;
            }
            if (a.type() == ArgSpec.Type.FLAG) {
                if (("--" + a.name()).startsWith(word)) {
                    out.add("--" + a.name());
                }
            } else if (!a.isPositional() && !word.startsWith("-") && a.name().startsWith(word)) {
                out.add(a.name() + "=");
            }
            if (a.shortName() != '\0' && word.equals("-")) {
                out.add("-" + a.shortName());
            }
        }
        return out;
    }

    private static List<String> values(ArgSpec arg) {
        if (!arg.allowedValues().isEmpty()) {
            return arg.allowedValues();
        }
        if (arg.type() == ArgSpec.Type.BOOL) {
            return List.of("true", "false");
        }
        return List.of();
    }

    /** Names already given before the last word (a loose scan; completion must never fail). */
    private static Set<String> used(MagicSpec spec, String before) {
        Set<String> used = new HashSet<>();
        for (String w : before.trim().split("\\s+")) {
            String n = w.startsWith("--") ? w.substring(2) : w;
            int eq = n.indexOf('=');
            if (eq >= 0) {
                n = n.substring(0, eq);
            }
            if (w.length() == 2 && w.charAt(0) == '-') {
                for (ArgSpec a : spec.args()) {
                    if (a.shortName() == w.charAt(1)) {
                        n = a.name();
                    }
                }
            }
            used.add(n);
        }
        return used;
    }
}

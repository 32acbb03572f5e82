package dev.ferry.magics;

import java.util.ArrayList;
import java.util.List;

/** Usage lines and full help text generated from a {@link MagicSpec}. */
final class Help {
    private Help() {
    }

    /** E.g. {@code %%writefile [-a] path}; for a BOTH magic the line form. */
    static String usage(MagicSpec spec) {
        return usage(spec, spec.kind() == MagicSpec.Kind.CELL ? "%%" : "%");
    }

    private static String usage(MagicSpec spec, String percent) {
        StringBuilder sb = new StringBuilder(percent).append(spec.name());
        for (ArgSpec a : spec.args()) {
            if (!a.isPositional()) {
                sb.append(' ').append(usageOf(a));
            }
        }
        for (ArgSpec a : spec.args()) {
            if (a.isPositional()) {
                sb.append(' ').append(usageOf(a));
            }
        }
        if (spec.acceptsRest()) {
            sb.append(" [").append(spec.restName()).append("...]");
        }
        return sb.toString();
    }

    private static String usageOf(ArgSpec a) {
        String s;
        if (a.type() == ArgSpec.Type.FLAG) {
            s = a.shortName() != '\0' ? "-" + a.shortName() : "--" + a.name();
        } else if (a.isPositional()) {
            s = a.name();
        } else if (a.shortName() != '\0') {
            s = "-" + a.shortName() + " " + Values.placeholder(a);
        } else {
            s = a.name() + "=" + Values.placeholder(a);
        }
        return a.isRequired() ? s : "[" + s + "]";
    }

    static String full(MagicSpec spec) {
        StringBuilder sb = new StringBuilder();
        sb.append(spec.displayName());
        if (!spec.summary().isEmpty()) {
            sb.append(": ").append(spec.summary());
        }
        sb.append("\n\nUsage: ");
        if (spec.kind() == MagicSpec.Kind.BOTH) {
            sb.append(usage(spec, "%")).append("\n       ").append(usage(spec, "%%"))
                .append("   (the cell body follows)");
        } else {
            sb.append(usage(spec)).append(spec.kind() == MagicSpec.Kind.CELL ? "   (the cell body follows)" : "");
        }
        sb.append('\n');
        List<String[]> rows = new ArrayList<>();
        for (ArgSpec a : spec.args()) {
            rows.add(new String[] {signature(a), describe(a)});
        }
        if (spec.acceptsRest()) {
            rows.add(new String[] {spec.restName() + "...", spec.restHelp()});
        }
        if (!rows.isEmpty()) {
            int width = 0;
            for (String[] r : rows) {
                width = Math.max(width, r[0].length());
            }
            sb.append("\nArguments:\n");
            for (String[] r : rows) {
                sb.append("  ").append(r[0]).append(" ".repeat(width - r[0].length() + 2)).append(r[1]).append('\n');
            }
        }
        if (!spec.details().isEmpty()) {
            sb.append('\n').append(spec.details().strip()).append('\n');
        }
        if (!spec.aliases().isEmpty()) {
            sb.append("\nAlso known as: ");
            String percent = spec.kind() == MagicSpec.Kind.CELL ? "%%" : "%";
            sb.append(String.join(", ", spec.aliases().stream().map(n -> percent + n).toList())).append('\n');
        }
        return sb.toString();
    }

    private static String signature(ArgSpec a) {
        if (a.type() == ArgSpec.Type.FLAG) {
            return a.shortName() != '\0' ? "-" + a.shortName() + ", --" + a.name() : "--" + a.name();
        }
        String p = Values.placeholder(a);
        if (a.isPositional()) {
            return a.name();
        }
        return a.shortName() != '\0' ? "-" + a.shortName() + " " + p + ", " + a.name() + "=" + p : a.name() + "=" + p;
    }

    private static String describe(ArgSpec a) {
        StringBuilder sb = new StringBuilder(a.help());
        List<String> facts = new ArrayList<>();
        if (a.type() != ArgSpec.Type.FLAG) {
            facts.add(a.type().name());
        }
        if (a.isRequired()) {
            facts.add("required");
        } else if (a.defaultText() != null) {
            facts.add("default " + (a.defaultText().isEmpty() ? "\"\"" : a.defaultText()));
        }
        if (!a.allowedValues().isEmpty()) {
            facts.add("one of " + String.join(", ", a.allowedValues()));
        }
        if (a.min() != null || a.max() != null) {
            facts.add("from " + bound(a, a.min()) + " to " + bound(a, a.max()));
        }
        if (a.type() != ArgSpec.Type.FLAG && (a.example() != null || a.type() == ArgSpec.Type.KEY_VALUES
            || a.type() == ArgSpec.Type.LIST)) {
            facts.add("e.g. " + Values.example(a));
        }
        if (!facts.isEmpty()) {
            sb.append(sb.length() == 0 ? "" : " ").append('(').append(String.join("; ", facts)).append(')');
        }
        return sb.toString();
    }

    private static String bound(ArgSpec a, Double v) {
        if (v == null) {
            return "any";
        }
        return a.type() == ArgSpec.Type.DOUBLE ? String.valueOf(v) : String.valueOf(v.longValue());
    }
}

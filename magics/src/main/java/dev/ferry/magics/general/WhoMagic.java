package dev.ferry.magics.general;

import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** {@code %who} (names) and {@code %whos} (a table of names, types and short values) of the session's variables. */
final class WhoMagic implements Magic {
    static final int MAX_VALUE = 60;
    private final boolean table;
    private final MagicSpec spec;

    WhoMagic(boolean table) {
        this.table = table;
        this.spec = MagicSpec.builder(table ? "whos" : "who", MagicSpec.Kind.LINE)
            .summary(table ? "Table of the session's variables: name, type, value"
                : "Names of the session's variables")
            .rest("types", "only variables of these types (simple names, e.g. int String)")
            .details(table
                ? "Values longer than " + MAX_VALUE + " characters are shortened in the middle (<...>)."
                : "JShell's own temporaries ($1, $2, ...) are left out.")
            .build();
    }

    @Override
    public MagicSpec spec() {
        return spec;
    }

    @Override
    public Object execute(MagicContext ctx) {
        JavaSession session = Common.session(ctx, "%" + spec.name());
        Set<String> types = new TreeSet<>(List.of(ctx.args().rest().isBlank() ? new String[0] : ctx.args().rest().split("[\\s,]+")));
        List<JavaSession.Variable> vars = new ArrayList<>();
        for (JavaSession.Variable v : session.variables()) {
            if (v.name().startsWith("$")) {
                continue;
            }
            if (!types.isEmpty() && !types.contains(simple(v.type())) && !types.contains(v.type())) {
                continue;
            }
            vars.add(v);
        }
        ctx.stdout(table ? whos(vars) : who(vars));
        return null;
    }

    static String simple(String type) {
        String t = type.replaceAll("<.*>", "");
        int dot = t.lastIndexOf('.');
        return dot < 0 ? t : t.substring(dot + 1);
    }

    /** IPython's %who: sorted names separated by tabs. */
    static String who(List<JavaSession.Variable> vars) {
        if (vars.isEmpty()) {
            return "Interactive namespace is empty.\n";
        }
        TreeSet<String> names = new TreeSet<>();
        vars.forEach(v -> names.add(v.name()));
        return String.join("\t", names) + "\n";
    }

    /** IPython's %whos: a table Variable | Type | Data/Info. */
    static String whos(List<JavaSession.Variable> vars) {
        if (vars.isEmpty()) {
            return "Interactive namespace is empty.\n";
        }
        List<JavaSession.Variable> sorted = new ArrayList<>(vars);
        sorted.sort((a, b) -> a.name().compareTo(b.name()));
        int nameW = "Variable".length();
        int typeW = "Type".length();
        for (JavaSession.Variable v : sorted) {
            nameW = Math.max(nameW, v.name().length());
            typeW = Math.max(typeW, v.type().length());
        }
        StringBuilder sb = new StringBuilder();
        String head = pad("Variable", nameW + 3) + pad("Type", typeW + 3) + "Data/Info";
        sb.append(head).append('\n').append("-".repeat(head.length() + 3)).append('\n');
        for (JavaSession.Variable v : sorted) {
            sb.append(pad(v.name(), nameW + 3)).append(pad(v.type(), typeW + 3)).append(shorten(Common.text(v.value())))
                .append('\n');
        }
        return sb.toString();
    }

    /** Newlines escaped; longer than MAX_VALUE: the start and the end around "<...>". */
    static String shorten(String s) {
        String one = s.replace("\n", "\\n");
        if (one.length() <= MAX_VALUE) {
            return one;
        }
        int keep = MAX_VALUE - 5;
        return one.substring(0, keep / 2 + keep % 2) + "<...>" + one.substring(one.length() - keep / 2);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
    }
}

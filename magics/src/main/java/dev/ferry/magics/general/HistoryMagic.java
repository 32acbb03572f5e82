package dev.ferry.magics.general;

import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.KernelHistory;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code %history}: the input history kept by the kernel, printed as IPython prints it. */
final class HistoryMagic implements Magic {
    static final MagicSpec SPEC = MagicSpec.builder("history", MagicSpec.Kind.LINE)
        .summary("Print the input history (this session, ranges, the last N, or a search)")
        .arg(ArgSpec.flag("numbers").shortName('n').help("print line numbers"))
        .arg(ArgSpec.keyword("limit", ArgSpec.Type.INT).shortName('l').help("the last N cells before this one (of all sessions)")
            .range(1, 1_000_000).example("10"))
        .arg(ArgSpec.keyword("grep", ArgSpec.Type.STRING).shortName('g')
            .help("cells matching a glob pattern (all sessions; * is added on both sides)").example("*List*"))
        .arg(ArgSpec.flag("unique").shortName('u').help("with -g: each source once"))
        .rest("range", "ranges: 4, 4-6 (inclusive), 4:6 (6 excluded), ~1/2-5 (session before this one), 3/7 (session 3)")
        .details("""
            As in IPython: with no arguments, the cells of this session; with -n, "line: source"
            (sessions other than this one as "session/line: source").
            Examples:
              %history -n
              %history -n 1-3
              %history -l 5
              %history -g *println*""")
        .build();

    private static final Pattern RANGE = Pattern.compile("(?:(~?)(\\d+)/)?(\\d+)(?:([-:])(\\d+))?");

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) {
        KernelHistory history = ctx.service(KernelHistory.class).orElseThrow(
            () -> new MagicException("%history needs the kernel's history, which this host does not offer"));
        List<KernelHistory.Entry> entries = new ArrayList<>();
        String rest = ctx.args().rest().strip();
        if (ctx.args().has("grep")) {
            String g = ctx.args().getString("grep");
            entries.addAll(history.search("*" + g + "*", ctx.args().has("limit") ? ctx.args().getInt("limit") : 0));
        } else if (ctx.args().has("limit")) {
            // as IPython's: the N cells before this one (the history holds this %history cell already)
            int n = ctx.args().getInt("limit");
            List<KernelHistory.Entry> tail = history.tail(n + 1);
            entries.addAll(tail.subList(Math.max(0, tail.size() - 1 - n), Math.max(0, tail.size() - 1)));
        } else if (rest.isEmpty()) {
            entries.addAll(history.range(0, 1, 0));
        } else {
            for (String r : rest.split("\\s+")) {
                long[] q = parseRange(r);
                entries.addAll(history.range(q[0], (int) q[1], (int) q[2]));
            }
        }
        if (ctx.args().getBool("unique")) {
            LinkedHashSet<String> seen = new LinkedHashSet<>();
            entries.removeIf(e -> !seen.add(e.source()));
        }
        ctx.stdout(format(entries, ctx.args().getBool("numbers"), currentSession(history, entries)));
        return null;
    }

    private static long currentSession(KernelHistory history, List<KernelHistory.Entry> entries) {
        long max = 0;
        for (KernelHistory.Entry e : entries) {
            max = Math.max(max, e.session());
        }
        return max;
    }

    /** {session (0 current, negative relative), start, stop (exclusive, 0 open)} of one IPython range. */
    static long[] parseRange(String r) {
        Matcher m = RANGE.matcher(r);
        if (!m.matches()) {
            throw new MagicException("%history: '" + r + "' is not a range; write e.g. 4, 4-6, 4:6 or ~1/2-5");
        }
        long session = 0;
        if (m.group(2) != null) {
            long s = Long.parseLong(m.group(2));
            session = m.group(1).isEmpty() ? s : -s;
        }
        int start = Integer.parseInt(m.group(3));
        int stop = start + 1;
        if (m.group(4) != null) {
            int end = Integer.parseInt(m.group(5));
            stop = m.group(4).equals("-") ? end + 1 : end;
        }
        if (stop <= start) {
            throw new MagicException("%history: the range " + r + " is empty");
        }
        return new long[] {session, start, stop};
    }

    /** IPython's form: the source, or with numbers "line: source"; continuation lines indented. */
    static String format(List<KernelHistory.Entry> entries, boolean numbers, long current) {
        StringBuilder sb = new StringBuilder();
        for (KernelHistory.Entry e : entries) {
            String source = e.source().endsWith("\n") ? e.source().substring(0, e.source().length() - 1) : e.source();
            if (numbers) {
                String prefix = (e.session() == current ? "" : e.session() + "/") + e.line() + ": ";
                String pad = " ".repeat(prefix.length());
                String[] lines = source.split("\n", -1);
                String width = " ".repeat(Math.max(0, 4 - String.valueOf(e.line()).length()));
                sb.append(width).append(prefix).append(lines[0]).append('\n');
                for (int i = 1; i < lines.length; i++) {
                    sb.append(width).append(pad).append(lines[i]).append('\n');
                }
            } else {
                sb.append(source).append('\n');
            }
        }
        return sb.toString();
    }
}

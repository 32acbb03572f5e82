package dev.ferry.arrow;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Text and HTML rendering of any {@link TableView} by a {@link TableFormat}: the one table renderer. */
final class Render {
    private Render() {
    }

    static String typeName(ArrowType t) {
        return switch (t.getTypeID()) {
            case Null -> "null";
            case Bool -> "bool";
            case Int -> {
                ArrowType.Int i = (ArrowType.Int) t;
                yield (i.getIsSigned() ? "int" : "uint") + i.getBitWidth();
            }
            case FloatingPoint -> ((ArrowType.FloatingPoint) t).getPrecision() == FloatingPointPrecision.DOUBLE
                    ? "float64" : ((ArrowType.FloatingPoint) t).getPrecision() == FloatingPointPrecision.SINGLE
                    ? "float32" : "float16";
            case Utf8 -> "string";
            case LargeUtf8 -> "large_string";
            case Binary -> "binary";
            case LargeBinary -> "large_binary";
            case Decimal -> "decimal(" + ((ArrowType.Decimal) t).getPrecision() + ","
                    + ((ArrowType.Decimal) t).getScale() + ")";
            case Date -> "date";
            case Time -> "time";
            case Timestamp -> {
                ArrowType.Timestamp ts = (ArrowType.Timestamp) t;
                yield "timestamp[" + ts.getUnit().name().toLowerCase(Locale.ROOT).replace("second", "s")
                        .replace("milli", "m").replace("micro", "u").replace("nano", "n")
                        + (ts.getTimezone() == null ? "" : ", " + ts.getTimezone()) + "]";
            }
            default -> t.toString().toLowerCase(Locale.ROOT);
        };
    }

    static boolean numeric(ArrowType t) {
        return t != null && switch (t.getTypeID()) {
            case Int, FloatingPoint, Decimal -> true;
            default -> false;
        };
    }

    /** The cells shown of a view, read once and used for text and HTML alike. */
    record Grid(long rowCount, int columnCount, long[] rows, int[] columns, String[] names, String[] types,
                boolean[] right, String[][] cells) {
        boolean rowsCut() {
            return rows.length - (rowsGap() ? 1 : 0) < rowCount;
        }

        boolean rowsGap() {
            for (long r : rows) {
                if (r < 0) {
                    return true;
                }
            }
            return false;
        }

        boolean columnsCut() {
            return columns.length - (columnsGap() ? 1 : 0) < columnCount;
        }

        boolean columnsGap() {
            for (int c : columns) {
                if (c < 0) {
                    return true;
                }
            }
            return false;
        }

        long rowsShown() {
            return rows.length - (rowsGap() ? 1 : 0);
        }

        int columnsShown() {
            return columns.length - (columnsGap() ? 1 : 0);
        }
    }

    /** Indices 0..n-1 to show, at most {@code max}: all, or the first ⌈max/2⌉ and last ⌊max/2⌋ around -1. */
    static long[] shown(long n, int max) {
        if (n <= max) {
            long[] all = new long[(int) n];
            for (int i = 0; i < n; i++) {
                all[i] = i;
            }
            return all;
        }
        int head = (max + 1) / 2;
        int tail = max / 2;
        long[] out = new long[head + 1 + tail];
        for (int i = 0; i < head; i++) {
            out[i] = i;
        }
        out[head] = -1;
        for (int i = 0; i < tail; i++) {
            out[head + 1 + i] = n - tail + i;
        }
        return out;
    }

    static Grid grid(TableView v, TableFormat f) {
        long n = v.rowCount();
        int m = v.columnCount();
        long[] rows = shown(n, f.rows());
        long[] cols64 = shown(m, f.columns());
        int[] cols = new int[cols64.length];
        String[] names = new String[cols.length];
        String[] types = new String[cols.length];
        boolean[] right = new boolean[cols.length];
        for (int j = 0; j < cols.length; j++) {
            int c = (int) cols64[j];
            cols[j] = c;
            names[j] = c < 0 ? "…" : clip(v.columnName(c), f.cellWidth());
            types[j] = c < 0 ? "" : clip(v.typeName(c), f.cellWidth());
            right[j] = c >= 0 && numeric(v.columnType(c));
        }
        String[][] cells = new String[rows.length][cols.length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < cols.length; j++) {
                if (rows[i] < 0 || cols[j] < 0) {
                    cells[i][j] = "…";
                } else {
                    Object value = v.value(rows[i], cols[j]);
                    cells[i][j] = value == null ? null : clip(brief(value, f.cellWidth()), f.cellWidth());
                }
            }
        }
        return new Grid(n, m, rows, cols, names, types, right, cells);
    }

    /** {@code caption} and, when rows or columns are left out, how many are shown. */
    static String caption(Grid g, String caption) {
        boolean r = g.rowsCut();
        boolean c = g.columnsCut();
        if (!r && !c) {
            return caption;
        }
        String shown = r && c ? String.format(Locale.ROOT, "%,d rows, %,d columns", g.rowsShown(), g.columnsShown())
                : r ? String.format(Locale.ROOT, "%,d", g.rowsShown())
                : String.format(Locale.ROOT, "%,d columns", g.columnsShown());
        return caption + " (showing " + shown + ")";
    }

    /** A value's short text: collections, maps and arrays spelled out up to about {@code budget} characters. */
    static String brief(Object v, int budget) {
        StringBuilder sb = new StringBuilder();
        append(sb, v, budget, 0);
        return sb.toString();
    }

    private static void append(StringBuilder sb, Object v, int budget, int depth) {
        if (sb.length() > budget) {
            return;
        }
        if (depth > 8) {
            sb.append('…');
        } else if (v instanceof Collection<?> c) {
            items(sb, c.iterator(), budget, depth);
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            for (int k = 0; it.hasNext(); k++) {
                if (sb.length() > budget) {
                    sb.append("…");
                    break;
                }
                Map.Entry<?, ?> e = it.next();
                sb.append(k > 0 ? ", " : "");
                append(sb, e.getKey(), budget, depth + 1);
                sb.append('=');
                append(sb, e.getValue(), budget, depth + 1);
            }
            sb.append('}');
        } else if (v != null && v.getClass().isArray() && !(v instanceof byte[])) {
            int len = Array.getLength(v);
            items(sb, new Iterator<>() {
                int i;

                public boolean hasNext() {
                    return i < len;
                }

                public Object next() {
                    return Array.get(v, i++);
                }
            }, budget, depth);
        } else {
            String s;
            try {
                s = Values.display(v);
            } catch (RuntimeException e) {
                s = "<toString of " + v.getClass().getSimpleName() + " failed: " + e + ">";
            }
            int room = budget - sb.length() + 1;
            sb.append(s.length() > room ? s.substring(0, Math.max(room, 0)) : s);
        }
    }

    private static void items(StringBuilder sb, Iterator<?> it, int budget, int depth) {
        sb.append('[');
        for (int k = 0; it.hasNext(); k++) {
            if (sb.length() > budget) {
                sb.append("…");
                break;
            }
            Object e = it.next();
            sb.append(k > 0 ? ", " : "");
            append(sb, e, budget, depth + 1);
        }
        sb.append(']');
    }

    /** One line of at most {@code width} characters (code points): control characters escaped, the rest cut. */
    static String clip(String s, int width) {
        if (s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0 || s.indexOf('\t') >= 0) {
            s = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        }
        if (s.length() <= width || s.codePointCount(0, s.length()) <= width) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, width - 1)) + "…";
    }

    private static int width(String s) {
        return s.codePointCount(0, s.length());
    }

    static String text(Grid g, String caption) {
        int m = g.columns().length + 1; // the row index first
        String[][] lines = new String[g.rows().length + 2][m];
        lines[0][0] = "";
        lines[1][0] = "";
        for (int j = 1; j < m; j++) {
            lines[0][j] = g.names()[j - 1];
            lines[1][j] = g.types()[j - 1];
        }
        for (int i = 0; i < g.rows().length; i++) {
            long r = g.rows()[i];
            lines[i + 2][0] = r < 0 ? "…" : Long.toString(r);
            for (int j = 1; j < m; j++) {
                String cell = g.cells()[i][j - 1];
                lines[i + 2][j] = cell == null ? "null" : cell;
            }
        }
        int[] w = new int[m];
        for (String[] line : lines) {
            for (int j = 0; j < m; j++) {
                w[j] = Math.max(w[j], width(line[j]));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            StringBuilder l = new StringBuilder();
            for (int j = 0; j < m; j++) {
                if (j > 0) {
                    l.append(" │ ");
                }
                String s = lines[i][j];
                String pad = " ".repeat(w[j] - width(s));
                boolean right = j == 0 ? i > 1 : g.right()[j - 1] && i > 1;
                l.append(right ? pad + s : s + pad);
            }
            sb.append(l.toString().stripTrailing()).append('\n');
            if (i == 1) {
                for (int j = 0; j < m; j++) {
                    sb.append(j > 0 ? "─┼─" : "").append("─".repeat(w[j]));
                }
                sb.append('\n');
            }
        }
        sb.append('[').append(caption(g, caption)).append(']');
        return sb.toString();
    }

    static String escape(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(ch);
            }
        }
        return sb.toString();
    }

    static String html(Grid g, String caption) {
        int m = g.columns().length;
        StringBuilder sb = new StringBuilder();
        sb.append("<table class=\"ferry-table\">\n<caption>").append(escape(caption(g, caption)))
                .append("</caption>\n<thead><tr><th></th>");
        for (int j = 0; j < m; j++) {
            if (g.columns()[j] < 0) {
                sb.append("<th>…</th>");
            } else {
                sb.append("<th title=\"").append(escape(g.types()[j])).append("\">").append(escape(g.names()[j]))
                        .append("</th>");
            }
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (int i = 0; i < g.rows().length; i++) {
            long r = g.rows()[i];
            if (r < 0) {
                long hidden = g.rowCount() - g.rowsShown();
                sb.append("<tr class=\"ferry-gap\"><th>…</th><td colspan=\"").append(Math.max(m, 1)).append("\">")
                        .append(escape(String.format(Locale.ROOT, "… %,d more rows …", hidden))).append("</td></tr>\n");
                continue;
            }
            sb.append("<tr><th>").append(r).append("</th>");
            for (int j = 0; j < m; j++) {
                String cell = g.cells()[i][j];
                if (cell == null) {
                    sb.append("<td class=\"null\"><i>null</i></td>");
                } else {
                    sb.append("<td>").append(escape(cell)).append("</td>");
                }
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>");
        return sb.toString();
    }
}

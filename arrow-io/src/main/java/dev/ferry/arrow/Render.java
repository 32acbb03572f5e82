package dev.ferry.arrow;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Text and HTML rendering of tables. */
final class Render {
    private Render() {
    }

    static final int MAX_CELL = 40;

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

    private static boolean numeric(ArrowType t) {
        return switch (t.getTypeID()) {
            case Int, FloatingPoint, Decimal -> true;
            default -> false;
        };
    }

    /** Row indices to show (-1 marks the gap). */
    private static List<Long> shown(long n, int maxRows) {
        List<Long> rows = new ArrayList<>();
        int max = Math.max(maxRows, 2);
        if (n <= max) {
            for (long r = 0; r < n; r++) {
                rows.add(r);
            }
        } else {
            int head = (max + 1) / 2;
            int tail = max / 2;
            for (long r = 0; r < head; r++) {
                rows.add(r);
            }
            rows.add(-1L);
            for (long r = n - tail; r < n; r++) {
                rows.add(r);
            }
        }
        return rows;
    }

    private static String clip(String s) {
        s = s.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t");
        return s.length() <= MAX_CELL ? s : s.substring(0, MAX_CELL - 1) + "…";
    }

    static String size(Table t) {
        return String.format(Locale.ROOT, "%,d row%s × %d column%s", t.rowCount(), t.rowCount() == 1 ? "" : "s",
                t.columnCount(), t.columnCount() == 1 ? "" : "s");
    }

    static String text(Table t, int maxRows) {
        return text(t, maxRows, size(t));
    }

    /** {@link #text(Table, int)} ending in {@code caption} instead of the size. */
    static String text(Table t, int maxRows, String caption) {
        int m = t.columnCount();
        List<Long> rows = shown(t.rowCount(), maxRows);
        List<String[]> cells = new ArrayList<>();
        String[] names = new String[m];
        String[] types = new String[m];
        boolean[] right = new boolean[m];
        for (int c = 0; c < m; c++) {
            names[c] = clip(t.schema().getFields().get(c).getName());
            types[c] = typeName(t.columnType(c));
            right[c] = numeric(t.columnType(c));
        }
        cells.add(names);
        cells.add(types);
        for (long r : rows) {
            String[] line = new String[m];
            if (r < 0) {
                java.util.Arrays.fill(line, "…");
            } else {
                Row row = t.row(r);
                for (int c = 0; c < m; c++) {
                    line[c] = clip(Values.display(row.get(c)));
                }
            }
            cells.add(line);
        }
        int[] w = new int[m];
        for (String[] line : cells) {
            for (int c = 0; c < m; c++) {
                w[c] = Math.max(w[c], line[c].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cells.size(); i++) {
            String[] line = cells.get(i);
            StringBuilder l = new StringBuilder();
            for (int c = 0; c < m; c++) {
                if (c > 0) {
                    l.append(" │ ");
                }
                String s = line[c];
                String pad = " ".repeat(w[c] - s.length());
                l.append(right[c] && i > 1 ? pad + s : s + pad);
            }
            sb.append(l.toString().stripTrailing()).append('\n');
            if (i == 1) {
                for (int c = 0; c < m; c++) {
                    if (c > 0) {
                        sb.append("─┼─");
                    }
                    sb.append("─".repeat(w[c]));
                }
                sb.append('\n');
            }
        }
        sb.append('[').append(caption).append(']');
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

    static String html(Table t, int maxRows) {
        return html(t, maxRows, size(t));
    }

    /** {@link #html(Table, int)} with {@code caption} in place of the size. */
    static String html(Table t, int maxRows, String caption) {
        int m = t.columnCount();
        long n = t.rowCount();
        List<Long> rows = shown(n, maxRows);
        StringBuilder sb = new StringBuilder();
        sb.append("<table class=\"ferry-table\">\n<caption>").append(escape(caption));
        if (n > Math.max(maxRows, 2)) {
            long shownRows = rows.size() - 1;
            sb.append(escape(String.format(Locale.ROOT, " (showing %,d)", shownRows)));
        }
        sb.append("</caption>\n<thead><tr><th></th>");
        for (int c = 0; c < m; c++) {
            String type = typeName(t.columnType(c));
            sb.append("<th title=\"").append(escape(type)).append("\">")
                    .append(escape(t.schema().getFields().get(c).getName())).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        for (long r : rows) {
            if (r < 0) {
                long hidden = n - (rows.size() - 1);
                sb.append("<tr class=\"ferry-gap\"><th>…</th><td colspan=\"").append(Math.max(m, 1)).append("\">")
                        .append(escape(String.format(Locale.ROOT, "… %,d more rows …", hidden))).append("</td></tr>\n");
                continue;
            }
            Row row = t.row(r);
            sb.append("<tr><th>").append(r).append("</th>");
            for (int c = 0; c < m; c++) {
                Object v = row.get(c);
                if (v == null) {
                    sb.append("<td class=\"null\"><i>null</i></td>");
                } else {
                    String s = Values.display(v);
                    if (s.length() > 200) {
                        s = s.substring(0, 199) + "…";
                    }
                    sb.append(numeric(t.columnType(c)) ? "<td style=\"text-align:right\">" : "<td>")
                            .append(escape(s)).append("</td>");
                }
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody>\n</table>");
        return sb.toString();
    }
}

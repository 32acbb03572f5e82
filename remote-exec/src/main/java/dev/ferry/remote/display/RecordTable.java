package dev.ferry.remote.display;

import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Records as tables: columns are the record's components, one row per record. text/html is a table;
 * text/plain is the same table with aligned columns. Tables over {@link Limits#MAX_TABLE_ROWS} rows show
 * the first and last {@link Limits#HEAD_TAIL_ROWS} rows and the count.
 */
public final class RecordTable {
    private RecordTable() {}

    /**
     * One record: text/html is a table of one row without an index column; text/plain stays the record's own
     * one-line text ({@code P[x=1, y=4]}), which reads better than a one-row table in a console.
     */
    static Map<String, Object> single(Record r) {
        Map<String, Object> m = new java.util.LinkedHashMap<>(table(List.of(r), false));
        m.put("text/plain", Text.plain(r));
        return m;
    }

    /** A non-empty collection whose elements are all records of one class; otherwise null (declined). */
    static Map<String, Object> rowsOrNull(Collection<?> rows) {
        if (rows.isEmpty()) {
            return null;
        }
        Class<?> type = null;
        for (Object o : rows) {
            if (!(o instanceof Record) || (type != null && o.getClass() != type)) {
                return null;
            }
            type = o.getClass();
        }
        return table(rows, true);
    }

    /** The bundle for {@code rows} (all records of one class), with an index column when {@code index}. */
    public static Map<String, Object> table(Collection<?> rows, boolean index) {
        Class<?> type = rows.iterator().next().getClass();
        RecordComponent[] comps = type.getRecordComponents();
        List<String> header = new ArrayList<>();
        for (RecordComponent c : comps) {
            header.add(c.getName());
        }
        int n = rows.size();
        boolean cut = n > Limits.MAX_TABLE_ROWS;
        List<Integer> indices = new ArrayList<>();
        List<List<Object>> shown = new ArrayList<>();
        int i = 0;
        for (Object row : rows) {
            if (!cut || i < Limits.HEAD_TAIL_ROWS || i >= n - Limits.HEAD_TAIL_ROWS) {
                indices.add(i);
                shown.add(values(row, comps));
            }
            i++;
        }
        int head = cut ? Limits.HEAD_TAIL_ROWS : shown.size();
        String note = cut ? "… (" + n + " rows in all; showing the first and last " + Limits.HEAD_TAIL_ROWS + ")" : null;
        return Map.of("text/html", html(type, header, indices, shown, head, index, note),
                "text/plain", plain(header, indices, shown, head, index, note));
    }

    private static List<Object> values(Object row, RecordComponent[] comps) {
        List<Object> out = new ArrayList<>(comps.length);
        for (RecordComponent c : comps) {
            out.add(value(row, c));
        }
        return out;
    }

    private static Object value(Object row, RecordComponent c) {
        Method m = c.getAccessor();
        try {
            try {
                return m.invoke(row);
            } catch (IllegalAccessException e) {
                m.setAccessible(true); // a record declared in a cell (JShell's wrapper classes)
                return m.invoke(row);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            Throwable cause = e instanceof java.lang.reflect.InvocationTargetException ite ? ite.getCause() : e;
            return "<" + cause + ">";
        }
    }

    private static String html(Class<?> type, List<String> header, List<Integer> indices, List<List<Object>> rows,
                               int head, boolean index, String note) {
        StringBuilder sb = new StringBuilder();
        sb.append("<table class=\"ferry-table\" data-type=\"").append(Text.html(type.getSimpleName())).append("\">");
        sb.append("<thead><tr style=\"text-align: right;\">");
        if (index) {
            sb.append("<th></th>");
        }
        for (String h : header) {
            sb.append("<th>").append(Text.html(h)).append("</th>");
        }
        sb.append("</tr></thead><tbody>");
        for (int r = 0; r < rows.size(); r++) {
            if (r == head) {
                sb.append("<tr>");
                if (index) {
                    sb.append("<th>…</th>");
                }
                sb.append("<td>…</td>".repeat(header.size())).append("</tr>");
            }
            sb.append("<tr>");
            if (index) {
                sb.append("<th>").append(indices.get(r)).append("</th>");
            }
            for (Object v : rows.get(r)) {
                sb.append("<td>").append(Text.html(Text.cell(v))).append("</td>");
            }
            sb.append("</tr>");
        }
        sb.append("</tbody></table>");
        if (note != null) {
            sb.append("<p>").append(Text.html(note)).append("</p>");
        }
        return sb.toString();
    }

    private static String plain(List<String> header, List<Integer> indices, List<List<Object>> rows, int head,
                                boolean index, String note) {
        int cols = header.size() + (index ? 1 : 0);
        List<String[]> lines = new ArrayList<>();
        boolean[] right = new boolean[cols];
        String[] h = new String[cols];
        int k = 0;
        if (index) {
            h[k++] = "";
            right[0] = true;
        }
        for (String s : header) {
            h[k++] = s;
        }
        lines.add(h);
        for (int r = 0; r < rows.size(); r++) {
            if (r == head) {
                String[] dots = new String[cols];
                java.util.Arrays.fill(dots, "…");
                lines.add(dots);
            }
            String[] line = new String[cols];
            int c = 0;
            if (index) {
                line[c++] = String.valueOf(indices.get(r));
            }
            for (Object v : rows.get(r)) {
                if (v instanceof Number && r == 0) {
                    right[c] = true;
                }
                line[c++] = Text.cell(v);
            }
            lines.add(line);
        }
        int[] width = new int[cols];
        for (String[] line : lines) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], line[c].codePointCount(0, line[c].length()));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] line : lines) {
            StringBuilder l = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                if (c > 0) {
                    l.append("  ");
                }
                String pad = " ".repeat(width[c] - line[c].codePointCount(0, line[c].length()));
                l.append(right[c] ? pad + line[c] : line[c] + pad);
            }
            sb.append(l.toString().stripTrailing()).append('\n');
        }
        if (note != null) {
            sb.append(note).append('\n');
        }
        sb.setLength(sb.length() - 1);
        return sb.toString();
    }
}

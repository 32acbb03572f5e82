package dev.ferry.remote.display;

import dev.ferry.arrow.Table;
import dev.ferry.arrow.TableFormat;
import dev.ferry.arrow.TableView;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundles of everything shown as a table: an Arrow {@link Table}, a collection or array of records of one class,
 * one record, and a map of equally long column lists ({@code Map<String, List<?>>}). All go through arrow-io's one
 * renderer, {@link TableFormat#DEFAULT}: the same limits, the shape always shown, text/html and text/plain of the same
 * cells, and only the cells shown are read (a list of a million records renders from its first and last rows).
 */
final class Tables {
    private Tables() {}

    /** An open Table; a closed one is left to the next renderer (its text says it is closed). */
    static Map<String, Object> table(Table t) {
        return t.isClosed() ? null : TableFormat.DEFAULT.bundle(TableView.of(t));
    }

    /**
     * One record: text/html is a table of one row; text/plain stays the record's own one-line text
     * ({@code P[x=1, y=4]}), which reads better than a one-row table in a console.
     */
    static Map<String, Object> single(Record r) {
        Map<String, Object> m = new LinkedHashMap<>(TableFormat.DEFAULT.bundle(TableView.ofRecords(List.of(r))));
        m.put("text/plain", Text.plain(r));
        return m;
    }

    /** A non-empty collection whose elements are all records of one class; otherwise null (declined). */
    static Map<String, Object> rowsOrNull(Collection<?> rows) {
        if (rows.isEmpty() || !(rows.iterator().next() instanceof Record)) {
            return null;
        }
        @SuppressWarnings("unchecked")
        List<? extends Record> list = rows instanceof List<?> l ? (List<? extends Record>) l
                : new ArrayList<>((Collection<? extends Record>) rows);
        TableView view;
        try {
            view = TableView.ofRecords(list);
        } catch (IllegalArgumentException mixed) {
            return null; // records of several classes, or a null among them: shown as a collection
        }
        return TableFormat.DEFAULT.bundle(view);
    }

    /**
     * A non-empty map of text keys to lists of one length (a column map, as {@code Table.fromColumns} takes);
     * otherwise null (declined: shown as a map).
     */
    static Map<String, Object> columnsOrNull(Map<?, ?> map) {
        if (map.isEmpty()) {
            return null;
        }
        int n = -1;
        Map<String, List<?>> columns = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof CharSequence name) || !(e.getValue() instanceof List<?> values)
                    || (n >= 0 && values.size() != n)) {
                return null;
            }
            n = values.size();
            columns.put(name.toString(), values);
        }
        return TableFormat.DEFAULT.bundle(TableView.ofColumns(columns));
    }
}

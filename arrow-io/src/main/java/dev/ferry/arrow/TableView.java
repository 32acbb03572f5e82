package dev.ferry.arrow;

import java.util.List;
import java.util.Map;

import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * Anything shown as a table: its shape, its column names and types, and random access to its cells. An Arrow
 * {@link Table}, a list of records and a map of column lists are each one, and {@link TableFormat} renders every one
 * by the same rules; a view reads only the cells that are shown, so a view of a million rows renders as fast as a
 * view of ten.
 *
 * <p>The views of records and of column maps give each column the Arrow type that {@link Table#fromRecords} and
 * {@link Table#fromColumns} would give it, and each cell the value such a table would hold, so a list of records
 * and the table made from it render alike.
 */
public interface TableView {
    /** Number of rows. */
    long rowCount();

    /** Number of columns. */
    int columnCount();

    /** The name of column {@code c}. */
    String columnName(int c);

    /** The Arrow type of column {@code c}, or null where its values have no Arrow mapping. */
    ArrowType columnType(int c);

    /** The value at {@code row} of column {@code c}, as a {@link Table} would hold it (null for null). */
    Object value(long row, int c);

    /** The label of column {@code c}'s type in a header ({@code int32}, {@code string}, ...). */
    default String typeName(int c) {
        ArrowType t = columnType(c);
        return t == null ? "object" : Render.typeName(t);
    }

    /** The view of an open {@link Table} (cells read on demand). */
    static TableView of(Table table) {
        return new Views.OfTable(table);
    }

    /**
     * The view of a non-empty list of records of one class: one column per component, one row per record. Only
     * decimal columns are read in full (their scale is the largest of their values, as in {@link Table#fromRecords});
     * other cells are read when shown.
     */
    static TableView ofRecords(List<? extends Record> records) {
        return new Views.OfRecords(records);
    }

    /**
     * The view of named columns of equal length (a map's order is its column order), typed from their values as
     * {@link Table#fromColumns} types them; a column of values with no Arrow mapping, or of mixed kinds, has type
     * {@code object}.
     */
    static TableView ofColumns(Map<String, ? extends List<?>> columns) {
        return new Views.OfColumns(columns);
    }
}

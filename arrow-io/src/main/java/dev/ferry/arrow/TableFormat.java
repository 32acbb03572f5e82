package dev.ferry.arrow;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How every table is shown, as text and as HTML alike: a {@link Table}, a list of records, a map of column lists
 * and a {@code %%sql} result. A table of more than {@code rows} rows shows its first {@code ⌈rows/2⌉} and last
 * {@code ⌊rows/2⌋} rows around a {@code …} row; one of more than {@code columns} columns shows its first and last
 * columns the same way around a {@code …} column; a cell shows at most {@code cellWidth} characters on one line.
 * The shape is always shown ("1,000 rows × 3 columns (showing 20)"). Only the cells shown are read.
 *
 * @param rows      rows shown at most (at least 1)
 * @param columns   columns shown at most (at least 1)
 * @param cellWidth characters of one cell at most (at least 2)
 */
public record TableFormat(int rows, int columns, int cellWidth) {
    /** 20 rows (10 first, 10 last), 20 columns, 50 characters a cell: what a notebook shows. */
    public static final TableFormat DEFAULT = new TableFormat(20, 20, 50);

    public TableFormat {
        if (rows < 1 || columns < 1 || cellWidth < 2) {
            throw new IllegalArgumentException("TableFormat(rows=" + rows + ", columns=" + columns + ", cellWidth="
                    + cellWidth + "): rows and columns must be at least 1 and cellWidth at least 2");
        }
    }

    /** This format showing at most {@code rows} rows. */
    public TableFormat withRows(int rows) {
        return new TableFormat(rows, columns, cellWidth);
    }

    /** "N rows × M columns" (with thousands separators). */
    public static String shape(TableView view) {
        long n = view.rowCount();
        int m = view.columnCount();
        return String.format(Locale.ROOT, "%,d row%s × %,d column%s", n, n == 1 ? "" : "s", m, m == 1 ? "" : "s");
    }

    /** Aligned text: a header of names and types, the rows shown, and {@code [shape (showing k)]}. */
    public String text(TableView view) {
        return Render.text(Render.grid(view, this), shape(view));
    }

    /** {@link #text(TableView)} with {@code caption} in place of the shape. */
    public String text(TableView view, String caption) {
        return Render.text(Render.grid(view, this), caption);
    }

    /** An escaped HTML {@code <table class="ferry-table">} captioned with the shape. */
    public String html(TableView view) {
        return Render.html(Render.grid(view, this), shape(view));
    }

    /** {@link #html(TableView)} with {@code caption} in place of the shape. */
    public String html(TableView view, String caption) {
        return Render.html(Render.grid(view, this), caption);
    }

    /** The MIME bundle of the view: {@code text/html} and {@code text/plain} of the same cells. */
    public Map<String, Object> bundle(TableView view) {
        return bundle(view, shape(view));
    }

    /** {@link #bundle(TableView)} with {@code caption} in place of the shape. */
    public Map<String, Object> bundle(TableView view, String caption) {
        Render.Grid g = Render.grid(view, this);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("text/html", Render.html(g, caption));
        out.put("text/plain", Render.text(g, caption));
        return out;
    }
}

package dev.ferry.magics;

import java.util.List;

/**
 * A cell split by {@link MagicSyntax#parse}: either one cell magic (the whole cell) or, in order, chunks of
 * Java code and line magics.
 */
public final class ParsedCell {

    /** What a segment is. */
    public enum Type {
        /** Java code, passed on unchanged. */
        CODE,
        /** {@code %name args} on its own line. */
        LINE_MAGIC,
        /** {@code %%name args} on the first line, with the rest of the cell as its body. */
        CELL_MAGIC
    }

    /**
     * One piece of a cell.
     *
     * @param type  what it is
     * @param line  1-based line in the cell where it starts (for a cell magic: the {@code %%} line)
     * @param text  CODE: the code, exactly as in the cell (lines joined by {@code \n}); a magic: its line,
     *              trimmed
     * @param name  a magic's name without percent signs; null for CODE
     * @param args  a magic's argument text after the name, trimmed; null for CODE
     * @param body  a cell magic's body (everything after its first line); empty for a line magic; null for CODE
     * @param help  true for {@code %name?} or {@code %name??}: show the help instead of running
     */
    public record Segment(Type type, int line, String text, String name, String args, String body, boolean help) {

        public boolean isMagic() {
            return type != Type.CODE;
        }

        /** Whether it is a cell magic. */
        public boolean isCell() {
            return type == Type.CELL_MAGIC;
        }
    }

    private final List<Segment> segments;

    ParsedCell(List<Segment> segments) {
        this.segments = List.copyOf(segments);
    }

    /** Whether the cell is one cell magic; then {@link #segments()} holds just that. */
    public boolean isCellMagic() {
        return segments.size() == 1 && segments.get(0).isCell();
    }

    /** The cell magic, or null when the cell is not one. */
    public Segment cellMagic() {
        return isCellMagic() ? segments.get(0) : null;
    }

    /** Whether any segment is a magic. */
    public boolean hasMagics() {
        return segments.stream().anyMatch(Segment::isMagic);
    }

    /** The segments in cell order; blank code between magics is left out. */
    public List<Segment> segments() {
        return segments;
    }

    @Override
    public String toString() {
        return "ParsedCell" + segments;
    }
}

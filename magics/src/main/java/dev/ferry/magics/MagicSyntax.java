package dev.ferry.magics;

import java.util.ArrayList;
import java.util.List;

/**
 * Finds magics in a cell.
 * <ul>
 *   <li>A cell magic is {@code %%name args} on the first non-blank line; everything after that line is
 *       its body.</li>
 *   <li>A line magic is {@code %name args} on a line of its own (leading whitespace allowed), where the
 *       line starts outside any string, char literal, text block or comment.</li>
 *   <li>{@code name} is a Java identifier and must be followed by whitespace, {@code ?}/{@code ??} (help)
 *       or the line's end; so {@code % y} or {@code %y;} stays Java (the modulo operator).</li>
 * </ul>
 */
public final class MagicSyntax {
    private MagicSyntax() {
    }

    /**
     * Splits a cell into segments. Throws {@link MagicException} for {@code %%name} on a line other than
     * the first, and for a first line that starts with {@code %%} but names no magic.
     */
    public static ParsedCell parse(String cell) {
        String text = cell == null ? "" : cell;
        List<ParsedCell.Segment> out = new ArrayList<>();
        if (text.indexOf('%') < 0) {
            if (!text.isBlank()) {
                out.add(code(1, text));
            }
            return new ParsedCell(out);
        }
        List<int[]> lines = lines(text);
        int first = 0;
        while (first < lines.size() && line(text, lines.get(first)).isBlank()) {
            first++;
        }
        if (first < lines.size()) {
            String head = line(text, lines.get(first)).strip();
            if (head.startsWith("%%")) {
                ParsedCell.Segment magic = magic(head, first + 1, true);
                if (magic == null) {
                    throw new MagicException("line " + (first + 1) + ": '" + head + "' is not a cell magic; write"
                        + " %%name on the first line, e.g. %%time (run %lsmagic for the list)");
                }
                int bodyStart = lines.get(first)[1] + 1;
                String body = bodyStart <= text.length() ? text.substring(bodyStart) : "";
                out.add(new ParsedCell.Segment(ParsedCell.Type.CELL_MAGIC, first + 1, head, magic.name(),
                    magic.args(), body, magic.help()));
                return new ParsedCell(out);
            }
        }
        int state = JavaScanner.CODE;
        int chunkFrom = -1;
        for (int i = 0; i < lines.size(); i++) {
            String l = line(text, lines.get(i));
            ParsedCell.Segment magic = null;
            if (state == JavaScanner.CODE) {
                String stripped = l.strip();
                if (stripped.startsWith("%%") && magic(stripped, i + 1, true) != null) {
                    throw new MagicException("line " + (i + 1) + ": cell magic " + stripped.split("\\s", 2)[0]
                        + " must be on the first line of the cell; move it there, or split the cell");
                }
                if (stripped.startsWith("%")) {
                    magic = magic(stripped, i + 1, false);
                }
            }
            if (magic != null) {
                flush(text, lines, chunkFrom, i - 1, out);
                chunkFrom = -1;
                out.add(magic);
            } else {
                if (chunkFrom < 0) {
                    chunkFrom = i;
                }
                state = JavaScanner.scan(l, state);
            }
        }
        flush(text, lines, chunkFrom, lines.size() - 1, out);
        return new ParsedCell(out);
    }

    /** Parses a trimmed magic line; null when it is not {@code %name[?] [args]} (or {@code %%...}). */
    private static ParsedCell.Segment magic(String s, int lineNo, boolean cell) {
        int i = cell ? 2 : 1;
        if (s.length() <= i || !Character.isJavaIdentifierStart(s.charAt(i)) || s.charAt(i) == '$') {
            return null;
        }
        int nameEnd = i + 1;
        while (nameEnd < s.length() && Character.isJavaIdentifierPart(s.charAt(nameEnd))
            && s.charAt(nameEnd) != '$') {
            nameEnd++;
        }
        int after = nameEnd;
        boolean help = false;
        while (after < s.length() && s.charAt(after) == '?' && after < nameEnd + 2) {
            after++;
            help = true;
        }
        if (after < s.length() && !Character.isWhitespace(s.charAt(after))) {
            return null;
        }
        ParsedCell.Type type = cell ? ParsedCell.Type.CELL_MAGIC : ParsedCell.Type.LINE_MAGIC;
        return new ParsedCell.Segment(type, lineNo, s, s.substring(i, nameEnd), s.substring(after).strip(), "",
            help);
    }

    private static void flush(String text, List<int[]> lines, int from, int to, List<ParsedCell.Segment> out) {
        if (from < 0 || to < from) {
            return;
        }
        String chunk = text.substring(lines.get(from)[0], lines.get(to)[1]);
        if (!chunk.isBlank()) {
            out.add(code(from + 1, chunk));
        }
    }

    private static ParsedCell.Segment code(int line, String text) {
        return new ParsedCell.Segment(ParsedCell.Type.CODE, line, text, null, null, null, false);
    }

    private static String line(String text, int[] range) {
        return text.substring(range[0], range[1]);
    }

    /** [start, end) of each line, without its {@code \n}. */
    private static List<int[]> lines(String text) {
        List<int[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                out.add(new int[] {start, i});
                start = i + 1;
            }
        }
        out.add(new int[] {start, text.length()});
        return out;
    }
}

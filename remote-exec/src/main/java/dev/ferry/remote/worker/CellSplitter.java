package dev.ferry.remote.worker;

import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.Completeness;

import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a cell into JShell snippets ({@code JShell.eval} takes one at a time) and remembers where each one
 * starts in the cell, so errors can point at cell lines.
 */
final class CellSplitter {
    /** One snippet of a cell: its source as JShell wants it and the cell offset where that source starts. */
    record Piece(String source, int offset, boolean endsWithSemicolon) {}

    private final SourceCodeAnalysis analysis;

    CellSplitter(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    List<Piece> split(String cell) {
        List<Piece> pieces = new ArrayList<>();
        String rest = cell;
        while (!rest.isBlank()) {
            int restStart = cell.length() - rest.length();
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness c = info.completeness();
            if (c == Completeness.EMPTY) {
                break;
            }
            boolean complete = c == Completeness.COMPLETE || c == Completeness.COMPLETE_WITH_SEMI;
            if (!complete) {
                // incomplete or unknown: hand the whole rest to JShell, whose diagnostics say what is wrong
                pieces.add(new Piece(rest.strip(), restStart + leadingBlank(rest), rest.stripTrailing().endsWith(";")));
                break;
            }
            String consumed = rest.substring(0, rest.length() - info.remaining().length());
            // JShell numbers lines from the first non-blank character: evaluate the snippet without leading blanks
            pieces.add(new Piece(info.source().stripLeading(), restStart + leadingBlank(rest),
                    consumed.stripTrailing().endsWith(";")));
            rest = info.remaining();
        }
        return pieces;
    }

    /** Offset in {@code cell} of the snippet holding {@code cursor}: completion works on that snippet only. */
    int snippetStart(String cell, int cursor) {
        int offset = 0;
        String rest = cell;
        while (true) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            Completeness c = info.completeness();
            if (c != Completeness.COMPLETE && c != Completeness.COMPLETE_WITH_SEMI) {
                return offset;
            }
            int consumed = rest.length() - info.remaining().length();
            if (consumed <= 0 || offset + consumed >= cursor) {
                return offset;
            }
            offset += consumed;
            rest = info.remaining();
        }
    }

    static int leadingBlank(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }
}

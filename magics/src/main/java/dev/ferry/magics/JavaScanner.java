package dev.ferry.magics;

/**
 * Just enough of a Java lexer to know, at the start of each line, whether we are in code or inside a
 * block comment or text block. Line comments, string and char literals end at the line's end (an
 * unterminated literal is a compile error that JShell reports; the scanner just recovers).
 */
final class JavaScanner {
    static final int CODE = 0;
    static final int BLOCK_COMMENT = 1;
    static final int TEXT_BLOCK = 2;

    private JavaScanner() {
    }

    /** The state after {@code line} (without its terminator), given the state at its start. */
    static int scan(String line, int state) {
        int i = 0;
        int n = line.length();
        while (i < n) {
            if (state == BLOCK_COMMENT) {
                int end = line.indexOf("*/", i);
                if (end < 0) {
                    return BLOCK_COMMENT;
                }
                i = end + 2;
                state = CODE;
            } else if (state == TEXT_BLOCK) {
                i = endOfTextBlock(line, i);
                if (i < 0) {
                    return TEXT_BLOCK;
                }
                state = CODE;
            } else {
                char c = line.charAt(i);
                char next = i + 1 < n ? line.charAt(i + 1) : '\0';
                if (c == '/' && next == '/') {
                    return CODE;
                } else if (c == '/' && next == '*') {
                    state = BLOCK_COMMENT;
                    i += 2;
                } else if (line.startsWith("\"\"\"", i)) {
                    state = TEXT_BLOCK;
                    i += 3;
                } else if (c == '"' || c == '\'') {
                    i = endOfLiteral(line, i + 1, c);
                } else {
                    i++;
                }
            }
        }
        return state;
    }

    /** Index after the closing quote, or the line's end. */
    private static int endOfLiteral(String line, int i, char quote) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == quote) {
                return i + 1;
            } else {
                i++;
            }
        }
        return line.length();
    }

    /** Index after the closing {@code """}, or -1 when the text block goes on past this line. */
    private static int endOfTextBlock(String line, int i) {
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (line.startsWith("\"\"\"", i)) {
                return i + 3;
            } else {
                i++;
            }
        }
        return -1;
    }
}

package dev.ferry.magics;

/**
 * Splits an argument line into tokens, one at a time, so that a parser can stop at the start of free
 * trailing text without tokenizing it. Tokens are separated by whitespace; single or double quotes group
 * text (and may be adjacent to unquoted text, as in a shell: {@code name="a b"}). Inside quotes
 * {@code \\ \" \' \n \t} are escapes; outside quotes a backslash escapes whitespace, a quote or a
 * backslash. Any other backslash is kept as written (so {@code C:\dir} and {@code a\,b} survive).
 */
final class ArgTokenizer {

    /**
     * One token. {@code key} is set when the token starts with an unquoted {@code name=}; then {@code value}
     * is the unescaped text after it and {@code valueQuoted} tells whether any of it was quoted.
     */
    record Token(String text, String key, String value, boolean quoted, boolean valueQuoted, int start, int end) {
    }

    private final String line;
    private int pos;

    ArgTokenizer(String line) {
        this.line = line;
    }

    /** Index where the next token starts, or -1 at the end. */
    int peekStart() {
        skipSpace();
        return pos < line.length() ? pos : -1;
    }

    /** The next token, or null at the end. */
    Token next() {
        if (peekStart() < 0) {
            return null;
        }
        int start = pos;
        StringBuilder text = new StringBuilder();
        String key = null;
        int valueFrom = -1;
        boolean quoted = false;
        boolean valueQuoted = false;
        boolean escaped = false;
        while (pos < line.length() && !Character.isWhitespace(line.charAt(pos))) {
            char c = line.charAt(pos);
            if (c == '"' || c == '\'') {
                quoted = true;
                valueQuoted |= key != null;
                readQuoted(c, text);
            } else if (c == '\\' && pos + 1 < line.length() && isEscapable(line.charAt(pos + 1))) {
                text.append(line.charAt(pos + 1));
                escaped = true;
                pos += 2;
            } else {
                if (c == '=' && key == null && !quoted && !escaped && ArgSpec.NAME.matcher(text).matches()) {
                    key = text.toString();
                    valueFrom = text.length() + 1;
                }
                text.append(c);
                pos++;
            }
        }
        String all = text.toString();
        String value = key == null ? null : all.substring(valueFrom);
        return new Token(all, key, value, quoted, valueQuoted, start, pos);
    }

    private void readQuoted(char quote, StringBuilder text) {
        int open = pos;
        pos++;
        while (pos < line.length()) {
            char c = line.charAt(pos);
            if (c == quote) {
                pos++;
                return;
            }
            if (c == '\\' && pos + 1 < line.length()) {
                char n = line.charAt(pos + 1);
                switch (n) {
                    case '\\': case '"': case '\'':
                        text.append(n);
                        break;
                    case 'n':
                        text.append('\n');
                        break;
                    case 't':
                        text.append('\t');
                        break;
                    default:
                        text.append(c).append(n);
                }
                pos += 2;
                continue;
            }
            text.append(c);
            pos++;
        }
        String kind = quote == '"' ? "double" : "single";
        throw new MagicException("unterminated " + kind + " quote (" + quote + ") starting at column " + (open + 1)
            + "; add the closing " + quote + " (write \\" + quote + " for a literal " + quote + " inside)\n  "
            + line + "\n  " + " ".repeat(open) + "^");
    }

    private static boolean isEscapable(char c) {
        return Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\';
    }

    private void skipSpace() {
        while (pos < line.length() && Character.isWhitespace(line.charAt(pos))) {
            pos++;
        }
    }
}

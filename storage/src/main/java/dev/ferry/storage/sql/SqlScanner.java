package dev.ferry.storage.sql;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Lexical helpers for {@code %%sql}: splits a cell into statements on {@code ;} outside strings, quoted
 * identifiers and comments, finds {@code :name} parameters, and lists the identifiers a statement uses.
 *
 * <p>Understood: {@code '...'} strings ({@code ''} escapes), {@code "..."} and {@code `...`} quoted identifiers,
 * {@code -- ...} line comments, {@code /* ... *}{@code /} block comments and {@code $tag$ ... $tag$} dollar quotes.
 */
public final class SqlScanner {
    private SqlScanner() {
    }

    /** One statement of a cell: its text (trimmed, without the {@code ;}) and the 1-based cell line it starts on. */
    public record Statement(String text, int line) {
    }

    /** A statement with {@code :name} replaced by {@code ?}, and the names in order of their {@code ?}. */
    public record Params(String sql, List<String> names) {
    }

    static final byte CODE = 0;
    static final byte STRING = 1;
    static final byte COMMENT = 2;
    static final byte QUOTED_ID = 3;
    /** The delimiters of a string or quoted identifier (kept out of the identifier's text). */
    static final byte DELIM = 4;

    /** What each character of {@code s} is: code, string, comment, quoted identifier or a delimiter. */
    static byte[] kinds(String s) {
        int n = s.length();
        byte[] k = new byte[n];
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                byte kind = c == '\'' ? STRING : QUOTED_ID;
                k[i++] = DELIM;
                while (i < n) {
                    if (s.charAt(i) == c) {
                        if (i + 1 < n && s.charAt(i + 1) == c) { // doubled quote: a literal one
                            k[i] = kind;
                            k[i + 1] = kind;
                            i += 2;
                            continue;
                        }
                        k[i++] = DELIM;
                        break;
                    }
                    k[i++] = kind;
                }
            } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                while (i < n && s.charAt(i) != '\n') {
                    k[i++] = COMMENT;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
                while (i < end) {
                    k[i++] = COMMENT;
                }
            } else if (c == '$' && (i == 0 || !isIdentPart(s.charAt(i - 1)))) {
                int j = i + 1;
                while (j < n && s.charAt(j) != '$' && isIdentPart(s.charAt(j)) && !(j == i + 1 && Character.isDigit(s.charAt(j)))) {
                    j++;
                }
                if (j < n && s.charAt(j) == '$') { // $$ or $tag$
                    String tag = s.substring(i, j + 1);
                    int end = s.indexOf(tag, j + 1);
                    int stop = end < 0 ? n : end + tag.length();
                    for (int m = i; m < stop; m++) {
                        k[m] = (m <= j || (end >= 0 && m >= end)) ? DELIM : STRING;
                    }
                    i = stop;
                } else {
                    k[i++] = CODE;
                }
            } else {
                k[i++] = CODE;
            }
        }
        return k;
    }

    /** Splits a cell into statements; empty ones (only whitespace and comments) are dropped. */
    public static List<Statement> split(String cell) {
        byte[] k = kinds(cell);
        List<Statement> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i <= cell.length(); i++) {
            if (i == cell.length() || (cell.charAt(i) == ';' && k[i] == CODE)) {
                addStatement(cell, k, start, i, out);
                start = i + 1;
            }
        }
        return out;
    }

    private static void addStatement(String cell, byte[] k, int from, int to, List<Statement> out) {
        int first = -1;
        for (int i = from; i < to; i++) {
            if (k[i] != COMMENT && !Character.isWhitespace(cell.charAt(i))) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return;
        }
        int line = 1;
        for (int i = 0; i < first; i++) {
            if (cell.charAt(i) == '\n') {
                line++;
            }
        }
        // keep leading comments out, trailing whitespace too; comments inside and at the end stay
        out.add(new Statement(cell.substring(first, to).strip(), line));
    }

    /**
     * Replaces each {@code :name} outside strings and comments with {@code ?}. Not parameters: {@code ::} casts,
     * and a {@code :} right after an identifier character, digit or {@code ]} (slices such as {@code a[1:n]}).
     */
    public static Params params(String sql) {
        byte[] k = kinds(sql);
        StringBuilder out = new StringBuilder(sql.length());
        List<String> names = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == ':' && k[i] == CODE && i + 1 < n && Character.isJavaIdentifierStart(sql.charAt(i + 1))
                    && sql.charAt(i + 1) != '$' && (i == 0 || !precludesParam(sql.charAt(i - 1)))) {
                int j = i + 1;
                while (j < n && isIdentPart(sql.charAt(j))) {
                    j++;
                }
                names.add(sql.substring(i + 1, j));
                out.append('?');
                i = j;
                continue;
            }
            out.append(c);
            i++;
        }
        return new Params(out.toString(), List.copyOf(names));
    }

    private static boolean precludesParam(char prev) {
        return prev == ':' || prev == ']' || isIdentPart(prev) || prev == '$';
    }

    /**
     * The identifiers a statement mentions outside strings and comments: unquoted words as written, and the text of
     * quoted identifiers. Parameter names ({@code :name}) are not included.
     */
    public static Set<String> identifiers(String sql) {
        byte[] k = kinds(sql);
        Set<String> out = new LinkedHashSet<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (k[i] == CODE && Character.isJavaIdentifierStart(c) && c != '$'
                    && (i == 0 || (!isIdentPart(sql.charAt(i - 1)) && sql.charAt(i - 1) != ':'))) {
                int j = i + 1;
                while (j < n && k[j] == CODE && isIdentPart(sql.charAt(j))) {
                    j++;
                }
                out.add(sql.substring(i, j));
                i = j;
            } else if (k[i] == QUOTED_ID) {
                int j = i;
                while (j < n && k[j] == QUOTED_ID) {
                    j++;
                }
                char q = i > 0 ? sql.charAt(i - 1) : '"';
                out.add(sql.substring(i, j).replace(String.valueOf(q) + q, String.valueOf(q)));
                i = j;
            } else {
                i++;
            }
        }
        return out;
    }

    static boolean isIdentPart(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }
}

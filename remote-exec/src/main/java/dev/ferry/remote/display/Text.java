package dev.ferry.remote.display;

import java.lang.reflect.Array;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Short text of values: Java's own spelling ({@code [1, 2]}, {@code {a=1}}), with collections, maps and
 * arrays cut after {@link Limits#MAX_ITEMS} items ("… (M more)") and the whole cut at a character budget.
 */
public final class Text {
    private Text() {}

    /** The text of {@code value}, at most about {@code budget} characters (a note says when it was cut). */
    public static String of(Object value, int budget) {
        StringBuilder sb = new StringBuilder();
        append(sb, value, budget, 0);
        if (sb.length() > budget) {
            int total = sb.length();
            sb.setLength(budget);
            sb.append("… (").append(total - budget).append("+ more characters)");
        }
        return sb.toString();
    }

    /** text/plain of a value as a cell result: {@link Limits#MAX_TEXT} characters at most. */
    static String plain(Object value) {
        if (value instanceof CharSequence s) {
            return Limits.text(s.toString());
        }
        return Limits.text(of(value, Limits.MAX_TEXT + 1));
    }

    private static void append(StringBuilder sb, Object v, int budget, int depth) {
        if (sb.length() > budget) {
            return;
        }
        if (depth > 20) {
            sb.append('…');
        } else if (v == null) {
            sb.append("null");
        } else if (v instanceof Collection<?> c) {
            items(sb, c.iterator(), c.size(), "[", "]", budget, depth);
        } else if (v instanceof Map<?, ?> m) {
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            sb.append('{');
            int n = 0;
            while (it.hasNext() && sb.length() <= budget) {
                if (n == Limits.MAX_ITEMS) {
                    sb.append(", … (").append(m.size() - n).append(" more)");
                    break;
                }
                Map.Entry<?, ?> e = it.next();
                if (n++ > 0) {
                    sb.append(", ");
                }
                append(sb, e.getKey(), budget, depth + 1);
                sb.append('=');
                append(sb, e.getValue(), budget, depth + 1);
            }
            sb.append('}');
        } else if (v.getClass().isArray()) {
            int len = Array.getLength(v);
            Iterator<Object> it = new Iterator<>() {
                int i;
                public boolean hasNext() { return i < len; }
                public Object next() { return Array.get(v, i++); }
            };
            items(sb, it, len, "[", "]", budget, depth);
        } else {
            String s = depth > 0 ? safeToString(v) : String.valueOf(v);
            int room = budget - sb.length() + 1;
            sb.append(s.length() > room ? s.substring(0, Math.max(room, 0)) : s);
        }
    }

    private static void items(StringBuilder sb, Iterator<?> it, int size, String open, String close, int budget, int depth) {
        sb.append(open);
        int n = 0;
        while (it.hasNext() && sb.length() <= budget) {
            if (n == Limits.MAX_ITEMS) {
                sb.append(", … (").append(size - n).append(" more)");
                break;
            }
            Object e = it.next();
            if (n++ > 0) {
                sb.append(", ");
            }
            append(sb, e, budget, depth + 1);
        }
        sb.append(close);
    }

    private static String safeToString(Object v) {
        try {
            return String.valueOf(v);
        } catch (RuntimeException e) {
            return v.getClass().getName() + " (toString failed: " + e + ")";
        }
    }

    private static final java.util.regex.Pattern ANSI = java.util.regex.Pattern.compile(
            "\u001B(?:\\[[0-?]*[ -/]*[@-~]|\\][^\u0007\u001B]*(?:\u0007|\u001B\\\\)|[()][0-9A-Za-z]|[@-Z\\\\-_])");

    /**
     * The text without terminal escapes (colours, cursor moves, titles) and carriage-return overwrites: what a
     * terminal shows, for a page that would print the escapes as they are.
     */
    public static String stripAnsi(String s) {
        String t = ANSI.matcher(s).replaceAll("");
        int cr = t.lastIndexOf('\r');
        return cr < 0 ? t : t.substring(cr + 1);
    }

    /** Escapes text for HTML content and attribute values. */
    public static String html(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }
}

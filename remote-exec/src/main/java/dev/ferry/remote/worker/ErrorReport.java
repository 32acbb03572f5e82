package dev.ferry.remote.worker;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShellException;
import jdk.jshell.UnresolvedReferenceException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns JShell failures into Jupyter errors: a traceback that names the exception and the user's cell
 * lines (never the worker's or JShell's own frames), and for compile errors the message, the line and a
 * caret under the offending position.
 */
public final class ErrorReport {
    static final String RED = "\u001b[0;31m";
    static final String BOLD = "\u001b[1m";
    static final String RESET = "\u001b[0m";

    /** The class name of a frame that stands for a line of a remote stack trace (its method name is that line). */
    static final String REMOTE_FRAME = "<remote>";

    /** Where a snippet came from: the cell it was in and its first line there (1-based). */
    record Origin(int cell, int firstLine, String source) {}

    private ErrorReport() {}

    static JsonObject compileError(Origin origin, List<Diag> diags) {
        List<String> tb = new ArrayList<>();
        String first = null;
        for (Diag d : diags) {
            if (!d.isError()) {
                continue;
            }
            // JShell's wrapper classes have no name worth showing: drop "location: class " lines
            String msg = d.getMessage(Locale.ROOT).replaceAll("\\n\\s*location: class\\s*(\\n|$)", "$1").strip();
            if (first == null) {
                first = msg;
            }
            int pos = (int) Math.max(0, Math.min(d.getPosition(), origin.source().length()));
            int lineStart = origin.source().lastIndexOf('\n', pos - 1) + 1;
            int lineEnd = origin.source().indexOf('\n', pos);
            if (lineEnd < 0) {
                lineEnd = origin.source().length();
            }
            int lineInSnippet = count(origin.source(), '\n', lineStart);
            String line = origin.source().substring(lineStart, lineEnd);
            tb.add(RED + BOLD + "Compile error" + RESET + " in " + where(origin, lineInSnippet) + ": " + msg);
            tb.add("    " + line);
            tb.add("    " + " ".repeat(Math.max(0, pos - lineStart)) + RED + "^" + RESET);
        }
        if (first == null) {
            first = "the snippet was rejected";
            tb.add(RED + "Compile error" + RESET + ": " + first);
        }
        return error("CompilationException", first, tb);
    }

    static JsonObject runtimeError(JShellException e, Map<String, Origin> origins) {
        List<String> tb = new ArrayList<>();
        String ename = className(e);
        String evalue = message(e);
        tb.add(RED + BOLD + ename + RESET + (evalue.isEmpty() ? "" : ": " + evalue));
        frames(e, origins, tb);
        Throwable cause = e.getCause();
        int depth = 0;
        while (cause != null && depth++ < 10) {
            String cn = cause instanceof JShellException je ? className(je) : cause.getClass().getName();
            String cm = cause instanceof JShellException je ? message(je) : String.valueOf(cause.getMessage());
            tb.add("Caused by: " + BOLD + cn + RESET + (cm.isEmpty() ? "" : ": " + cm));
            frames(cause, origins, tb);
            cause = cause.getCause();
        }
        return error(ename, evalue, tb);
    }

    static JsonObject interrupted() {
        return error("Interrupted", "the cell was interrupted; earlier variables keep their values",
                List.of(RED + "Interrupted" + RESET + ": the cell was stopped; earlier variables keep their values"));
    }

    private static void frames(Throwable t, Map<String, Origin> origins, List<String> tb) {
        StackTraceElement[] st = t.getStackTrace();
        int lastUser = -1;
        for (int i = 0; i < st.length; i++) {
            if (isSnippet(st[i])) {
                lastUser = i;
            }
        }
        int end = lastUser >= 0 ? lastUser + 1 : st.length;
        for (int i = 0; i < end; i++) {
            StackTraceElement f = st[i];
            if (f.getClassName().equals(REMOTE_FRAME)) {
                tb.add("    at " + f.getMethodName());
            } else if (isSnippet(f)) {
                Origin o = origins.get(f.getFileName().substring(1));
                String method = userMethod(f);
                if (o == null) {
                    tb.add("    at " + method + " (snippet " + f.getFileName() + ", line " + f.getLineNumber() + ")");
                    continue;
                }
                int line = Math.max(1, f.getLineNumber());
                String text = lineOf(o.source(), line - 1).strip();
                tb.add("    at " + method + " (" + where(o, line - 1) + ")" + (text.isEmpty() ? "" : ":  " + text));
            } else if (!isInternal(f)) {
                tb.add("    at " + f);
            }
        }
    }

    private static String where(Origin o, int lineInSnippet) {
        String cell = o.cell() > 0 ? "In [" + o.cell() + "]" : "cell";
        return cell + " line " + (o.firstLine() + lineInSnippet);
    }

    private static boolean isSnippet(StackTraceElement f) {
        return f.getFileName() != null && f.getFileName().startsWith("#");
    }

    private static boolean isInternal(StackTraceElement f) {
        String c = f.getClassName();
        return c.startsWith("jdk.jshell.") || c.startsWith("jdk.internal.") || c.startsWith("java.lang.reflect.")
                || c.startsWith("dev.ferry.") || c.startsWith("sun.reflect.") || c.equals("java.lang.Thread");
    }

    private static String userMethod(StackTraceElement f) {
        String cls = f.getClassName().replaceFirst("^REPL\\.\\$JShell\\$\\d+[A-Z]?\\$?", "");
        String m = f.getMethodName();
        if (m.isEmpty() || m.equals("do_it$")) {
            return "<cell>";
        }
        return cls.isEmpty() ? m : cls.replace('$', '.') + "." + m;
    }

    private static String className(JShellException e) {
        if (e instanceof EvalException ee) {
            return ee.getExceptionClassName();
        }
        if (e instanceof UnresolvedReferenceException) {
            return "UnresolvedReference";
        }
        return e.getClass().getName();
    }

    private static String message(JShellException e) {
        if (e instanceof UnresolvedReferenceException ure) {
            return "'" + ure.getSnippet().source().strip().lines().findFirst().orElse("") + "' uses a name that is not"
                    + " defined yet; define it (or fix its compile error) and run again";
        }
        return e.getMessage() == null ? "" : e.getMessage();
    }

    /** An error whose traceback is the one line "ename: evalue" (ename in red): for errors with no stack to show. */
    public static JsonObject simple(String ename, String evalue) {
        return error(ename, evalue, List.of(RED + ename + RESET + ": " + evalue));
    }

    /** The error frame's fields; an error about a Modal name Ferry lacks gets a hint line ({@link ModalHints}). */
    static JsonObject error(String ename, String evalue, List<String> traceback) {
        String hint = ModalHints.hint(evalue + "\n" + String.join("\n", traceback));
        if (hint != null) {
            traceback = new ArrayList<>(traceback);
            traceback.add(BOLD + hint + RESET);
        }
        JsonObject r = new JsonObject();
        r.addProperty("status", "error");
        r.addProperty("ename", ename);
        r.addProperty("evalue", evalue);
        JsonArray tb = new JsonArray();
        traceback.forEach(tb::add);
        r.add("traceback", tb);
        return r;
    }

    static int count(String s, char c, int end) {
        int n = 0;
        for (int i = 0; i < end && i < s.length(); i++) {
            if (s.charAt(i) == c) {
                n++;
            }
        }
        return n;
    }

    static String lineOf(String s, int index) {
        String[] lines = s.split("\n", -1);
        return index >= 0 && index < lines.length ? lines[index] : "";
    }
}

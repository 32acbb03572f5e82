package dev.ferry.remote.worker;

import com.google.gson.JsonObject;
import com.sun.source.util.JavacTask;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSyntax;
import dev.ferry.magics.ParsedCell;
import jdk.jshell.SourceCodeAnalysis;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Jupyter's {@code is_complete} for a Ferry cell: {@code complete}, {@code incomplete} (with the
 * {@code indent} of the next line) or {@code invalid} (no text typed after it can make it parse).
 * <ul>
 *   <li>Java: JShell splits the code into snippets ({@code analyzeCompletion}); an open block, call or
 *       comment is incomplete; a snippet that is complete but does not parse as a statement, a
 *       declaration, an expression or an import ({@code int = 7q;}) is invalid. Only syntax counts: an
 *       unknown name is complete (running it reports the error).</li>
 *   <li>A cell magic ({@code %%sql}) is, as in IPython, incomplete until its last line is blank, so a
 *       console can take a body of several lines; line magics are complete.</li>
 * </ul>
 */
final class Completeness {
    static final String COMPLETE = "complete";
    static final String INCOMPLETE = "incomplete";
    static final String INVALID = "invalid";
    private static final String INDENT = "    ";

    /** Wrappers that make a JShell snippet a compilation unit: as statements, members, an expression, imports. */
    private static final String[][] WRAPPERS = {
        {"class $FerryCheck { void $m() throws Throwable {\n", "\n} }"},
        {"class $FerryCheck {\n", "\n}"},
        {"class $FerryCheck { Object $v = (\n", "\n); }"},
        {"", "\nclass $FerryCheck {}"},
    };

    private final SourceCodeAnalysis analysis;
    private JavaCompiler javac;
    private StandardJavaFileManager files;

    Completeness(SourceCodeAnalysis analysis) {
        this.analysis = analysis;
    }

    /** The reply fields: {@code completeness} and, when incomplete, {@code indent}. */
    JsonObject check(String cell) {
        JsonObject r = new JsonObject();
        String verdict;
        String indent = null;
        ParsedCell parsed;
        try {
            parsed = MagicSyntax.parse(cell);
        } catch (MagicException e) {
            parsed = null;
        }
        if (parsed == null) {
            verdict = INVALID;
        } else if (parsed.isCellMagic()) {
            List<String> lines = lines(cell);
            String last = lines.get(lines.size() - 1);
            verdict = last.isBlank() ? COMPLETE : INCOMPLETE;
            indent = leadingWhitespace(last);
        } else {
            verdict = COMPLETE;
            List<ParsedCell.Segment> segs = parsed.segments();
            for (int i = 0; i < segs.size() && verdict.equals(COMPLETE); i++) {
                if (segs.get(i).isMagic()) {
                    continue;
                }
                String java = javaVerdict(segs.get(i).text());
                boolean last = i == segs.size() - 1;
                // code that a magic line follows cannot be completed by typing on
                verdict = java.equals(INCOMPLETE) && !last ? INVALID : java;
                if (verdict.equals(INCOMPLETE)) {
                    indent = indentAfter(segs.get(i).text());
                }
            }
        }
        r.addProperty("completeness", verdict);
        if (verdict.equals(INCOMPLETE)) {
            r.addProperty("indent", indent == null ? "" : indent);
        }
        return r;
    }

    private String javaVerdict(String code) {
        String rest = code;
        List<String> snippets = new ArrayList<>();
        while (!rest.isBlank()) {
            SourceCodeAnalysis.CompletionInfo info = analysis.analyzeCompletion(rest);
            switch (info.completeness()) {
                case COMPLETE, COMPLETE_WITH_SEMI -> {
                    snippets.add(info.source());
                    rest = info.remaining();
                }
                case EMPTY -> rest = "";
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE -> {
                    return allParse(snippets) ? INCOMPLETE : INVALID;
                }
                default -> {
                    return INVALID;
                }
            }
        }
        return allParse(snippets) ? COMPLETE : INVALID;
    }

    /**
     * Whether every snippet parses in one of its forms. Each form is one javac task over all the snippets
     * still unplaced, one file each (so an error in one cannot hide or cause another): most snippets are
     * statements and pass the first.
     */
    boolean allParse(List<String> snippets) {
        if (snippets.isEmpty() || !compilerReady()) {
            return true;
        }
        List<String> pending = new ArrayList<>(snippets);
        for (String[] w : WRAPPERS) {
            boolean imports = w[0].isEmpty();
            List<String> tried = new ArrayList<>();
            for (String snippet : pending) {
                if (!imports || snippet.stripLeading().startsWith("import")) {
                    tried.add(snippet);
                }
            }
            if (tried.isEmpty()) {
                continue;
            }
            Set<Integer> failed = failing(tried, w);
            for (int i = 0; i < tried.size(); i++) {
                if (!failed.contains(i)) {
                    pending.remove(tried.get(i));
                }
            }
            if (pending.isEmpty()) {
                return true;
            }
        }
        return false;
    }

    /** Whether javac's parser (no attribution: names need not exist) accepts the snippet in one of its forms. */
    boolean parses(String snippet) {
        return allParse(List.of(snippet));
    }

    private boolean compilerReady() {
        if (javac == null) {
            javac = ToolProvider.getSystemJavaCompiler();
            if (javac == null) {
                return false; // a JRE without javac: JShell itself could not run; do not call code invalid
            }
            files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
        }
        return true;
    }

    /** The indexes of the snippets that javac's parser rejects in the form {@code wrapper}. */
    private Set<Integer> failing(List<String> snippets, String[] wrapper) {
        Map<JavaFileObject, Integer> index = new IdentityHashMap<>();
        List<JavaFileObject> sources = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            String unit = wrapper[0] + snippets.get(i) + wrapper[1];
            JavaFileObject source = new SimpleJavaFileObject(URI.create("string:///FerryCheck" + i + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return unit;
                }
            };
            index.put(source, i);
            sources.add(source);
        }
        DiagnosticCollector<JavaFileObject> diags = new DiagnosticCollector<>();
        JavacTask task = (JavacTask) javac.getTask(null, files, diags, List.of("-proc:none", "-Xmaxerrs", "100000"),
                null, sources);
        Set<Integer> failed = new HashSet<>();
        try {
            task.parse();
        } catch (java.io.IOException | RuntimeException e) {
            return allOf(snippets);
        }
        for (Diagnostic<? extends JavaFileObject> d : diags.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.ERROR) {
                Integer i = d.getSource() == null ? null : index.get(d.getSource());
                if (i == null) { // an error javac cannot place: no snippet counts as parsed
                    return allOf(snippets);
                }
                failed.add(i);
            }
        }
        return failed;
    }

    private static Set<Integer> allOf(List<String> snippets) {
        Set<Integer> all = new HashSet<>();
        for (int i = 0; i < snippets.size(); i++) {
            all.add(i);
        }
        return all;
    }

    /** The indent of the line after {@code code}: four spaces per open brace, else the last line's own. */
    static String indentAfter(String code) {
        int depth = openBraces(code);
        if (depth > 0) {
            return INDENT.repeat(depth);
        }
        List<String> lines = lines(code);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return leadingWhitespace(lines.get(i));
            }
        }
        return "";
    }

    /** Braces opened and not closed, outside strings, char literals, text blocks and comments. */
    static int openBraces(String code) {
        int depth = 0;
        int n = code.length();
        for (int i = 0; i < n; i++) {
            char c = code.charAt(i);
            if (c == '/' && i + 1 < n && code.charAt(i + 1) == '/') {
                int nl = code.indexOf('\n', i);
                i = nl < 0 ? n : nl;
            } else if (c == '/' && i + 1 < n && code.charAt(i + 1) == '*') {
                int end = code.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 1;
            } else if (code.startsWith("\"\"\"", i)) {
                int end = code.indexOf("\"\"\"", i + 3);
                i = end < 0 ? n : end + 2;
            } else if (c == '"' || c == '\'') {
                int j = i + 1;
                while (j < n && code.charAt(j) != c && code.charAt(j) != '\n') {
                    j += code.charAt(j) == '\\' ? 2 : 1;
                }
                i = j;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth = Math.max(0, depth - 1);
            }
        }
        return depth;
    }

    /** The lines as Python's splitlines() sees them: a final newline ends the last line instead of adding one. */
    private static List<String> lines(String s) {
        String t = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
        return List.of(t.split("\n", -1));
    }

    private static String leadingWhitespace(String line) {
        int i = 0;
        while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == '\t')) {
            i++;
        }
        return line.substring(0, i);
    }
}

package dev.ferry.remote.worker;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.ferry.magics.MagicSyntax;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.VarSnippet;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/** The JShell session of one worker: runs cells, completes, inspects. Called from one thread at a time. */
final class JShellHost {
    private final CapturingExecutionControl.Provider engine = new CapturingExecutionControl.Provider();
    private final JShell shell;
    private final SourceCodeAnalysis analysis;
    private final CellSplitter splitter;
    private final CellRunner cells;
    private final Map<String, ErrorReport.Origin> origins = new ConcurrentHashMap<>();
    /** Whether {@link DefaultImports#PREFERRED} was imported (before the session's first on-demand import). */
    private boolean preferredImported;
    private Completeness completeness;
    private volatile boolean executing;
    private volatile boolean stopRequested;

    JShellHost() {
        shell = JShell.builder().executionEngine(engine, Map.of()).build();
        analysis = shell.sourceCodeAnalysis();
        splitter = new CellSplitter(analysis);
        // the worker's own class path (Ferry's user API among it) is visible to snippets
        for (String entry : dev.ferry.spi.FerryEnv.current().classPath().split(java.io.File.pathSeparator)) {
            if (!entry.isBlank() && !entry.endsWith("*")) { // a wildcard that matched no jar stays literal
                shell.addToClasspath(entry);
            }
        }
        cells = new CellRunner(this);
    }

    /** Compiles and runs a first snippet and a completion so the user's first cell finds everything loaded. */
    void warmUp() {
        importStartup();
        // the path of a first cell: split, compile and run an expression, read its value, render it
        for (CellSplitter.Piece piece : splitter.split("String $ferryWarm = String.valueOf(Math.max(1, 2));")) {
            for (SnippetEvent e : shell.eval(piece.source())) {
                if (e.causeSnippet() == null && e.snippet() instanceof VarSnippet v && e.status().isDefined()) {
                    engine.control.bindVariable(v.name());
                    Object value = engine.control.valueOf(v.name());
                    Renderer.bundle(value == CapturingExecutionControl.NO_VALUE ? e.value() : value);
                    engine.control.forget(v.name());
                }
                shell.drop(e.snippet());
            }
        }
    }

    /**
     * Ferry's default imports (no import needed for the usual names): as one snippet, and one import at
     * a time where that one fails to compile (a missing class), so the others are still in effect.
     */
    private void importStartup() {
        for (SnippetEvent e : shell.eval(DefaultImports.STARTUP_SOURCE)) {
            if (e.causeSnippet() == null && e.status() == Snippet.Status.VALID) {
                return;
            }
            shell.drop(e.snippet());
        }
        for (String imp : DefaultImports.STARTUP) {
            shell.eval(imp);
        }
    }

    void warmUpCompletion() {
        analysis.completionSuggestions("System.out.pri", 14, new int[1]);
    }

    /** Runs a cell (Java and magics); returns the result frame's fields: status and data, or an error. */
    JsonObject execute(String cell, int cellNumber) {
        stopRequested = false;
        engine.control.stopPending = false;
        executing = true;
        try {
            return cells.execute(cell, cellNumber);
        } finally {
            executing = false;
        }
    }

    boolean stopRequested() {
        return stopRequested;
    }

    /** What running Java code came to: an error result, or success with the final expression's value. */
    record JavaOutcome(JsonObject error, Object value, String valueText) {
        boolean ok() {
            return error == null;
        }

        /** True when the code ended with an expression (without a trailing ';') that has a value. */
        boolean hasValue() {
            return valueText != null;
        }

        /** The live object when it could be read, else JShell's text for it. */
        Object valueOrText() {
            return value == CapturingExecutionControl.NO_VALUE ? valueText : value;
        }
    }

    /**
     * Runs Java code whose first line is line {@code firstLine} of cell {@code cellNumber}. What a
     * redefinition reset or dropped is said on stderr at the end ({@link UpdateNotices}), less what the
     * code defined again after it.
     */
    JavaOutcome runJava(String code, int cellNumber, int firstLine) {
        Map<String, String> notices = new java.util.LinkedHashMap<>();
        try {
            return runPieces(code, cellNumber, firstLine, notices);
        } finally {
            notices.values().forEach(System.err::println);
        }
    }

    private JavaOutcome runPieces(String code, int cellNumber, int firstLine, Map<String, String> notices) {
        Object value = CapturingExecutionControl.NO_VALUE;
        String valueText = null;
        List<CellSplitter.Piece> pieces = splitter.split(code);
        for (int i = 0; i < pieces.size(); i++) {
            CellSplitter.Piece piece = pieces.get(i);
            ErrorReport.Origin origin = new ErrorReport.Origin(cellNumber,
                    firstLine + ErrorReport.count(code, '\n', piece.offset()), piece.source());
            if (!preferredImported && DefaultImports.isOnDemandImport(piece.source())) {
                importPreferred();
            }
            List<SnippetEvent> events = shell.eval(piece.source());
            notices.putAll(UpdateNotices.of(shell, events, engine.control, origins));
            value = CapturingExecutionControl.NO_VALUE;
            valueText = null;
            for (SnippetEvent ev : events) {
                Snippet s = ev.snippet();
                if (ev.causeSnippet() != null) {
                    continue;
                }
                origins.put(s.id(), origin);
                if (ev.status() == Snippet.Status.REJECTED) {
                    return failed(ErrorReport.compileError(origin, shell.diagnostics(s).collect(Collectors.toList())));
                }
                if (stopRequested) {
                    return failed(ErrorReport.interrupted());
                }
                if (ev.exception() != null) {
                    return failed(ErrorReport.runtimeError(ev.exception(), origins));
                }
                if (s instanceof VarSnippet v && ev.status().isDefined()) {
                    engine.control.bindVariable(v.name());
                }
                if (ev.status().isDefined()) {
                    notices.remove(UpdateNotices.describe(s)); // defined again: nothing to re-run
                }
                boolean last = i == pieces.size() - 1;
                if (last && !piece.endsWithSemicolon() && isExpression(s)) {
                    String name = s instanceof VarSnippet v ? v.name() : ((ExpressionSnippet) s).name();
                    value = engine.control.valueOf(name);
                    valueText = ev.value();
                }
            }
        }
        if (stopRequested) {
            return failed(ErrorReport.interrupted());
        }
        return new JavaOutcome(null, value, valueText);
    }

    /**
     * Imports the common JDK names by single type, so that the on-demand import about to run cannot make
     * them ambiguous; names the session already imports by single type or declares are its own.
     */
    private void importPreferred() {
        preferredImported = true;
        Set<String> taken = new java.util.HashSet<>();
        shell.snippets().filter(sn -> shell.status(sn).isActive()).forEach(sn -> {
            if (sn instanceof jdk.jshell.ImportSnippet imp && sn.subKind() == Snippet.SubKind.SINGLE_TYPE_IMPORT_SUBKIND
                    && !DefaultImports.isFerrys(sn.source())) {
                taken.add(imp.name());
            } else if (sn instanceof jdk.jshell.TypeDeclSnippet t) {
                taken.add(t.name());
            }
        });
        for (String imp : DefaultImports.preferredExcept(taken)) {
            shell.eval(imp);
        }
    }

    /**
     * Evaluates one expression of an execute_request's {@code user_expressions}: its value, or an error.
     * It runs parenthesized, so a declaration or a statement is a compile error instead of a change to
     * the session, and its temporary variable is dropped afterwards.
     */
    JavaOutcome evaluate(String expression) {
        String expr = expression.strip().replaceAll(";+$", "");
        String source = "(" + expr + "\n)";
        ErrorReport.Origin origin = new ErrorReport.Origin(0, 1, source);
        Object value = CapturingExecutionControl.NO_VALUE;
        String valueText = null;
        JsonObject error = null;
        for (SnippetEvent ev : shell.eval(source)) {
            Snippet s = ev.snippet();
            if (ev.causeSnippet() != null) {
                continue;
            }
            origins.put(s.id(), origin);
            if (ev.status() == Snippet.Status.REJECTED) {
                error = ErrorReport.compileError(origin, shell.diagnostics(s).collect(Collectors.toList()));
            } else if (ev.exception() != null) {
                error = ErrorReport.runtimeError(ev.exception(), origins);
            } else if (isExpression(s)) {
                String name = s instanceof VarSnippet v ? v.name() : ((ExpressionSnippet) s).name();
                if (s instanceof VarSnippet) {
                    engine.control.bindVariable(name);
                }
                value = engine.control.valueOf(name);
                valueText = ev.value();
                engine.control.forget(name);
            }
            if (s instanceof VarSnippet && shell.status(s).isActive()) {
                shell.drop(s); // the $n variable of the expression: not part of the session
            }
        }
        return error != null ? failed(error) : new JavaOutcome(null, value, valueText);
    }

    private static JavaOutcome failed(JsonObject error) {
        return new JavaOutcome(error, null, null);
    }

    /** The value of the last cell when it ended with one (null otherwise). */
    Object lastValue() {
        return cells.lastValue();
    }

    /** The snippets {@code code} would make, without running or declaring anything ({@code %%function}'s check). */
    List<jdk.jshell.Snippet> parse(String code) {
        return FunctionCell.snippets(code, splitter, analysis);
    }

    /**
     * The session's active imports, classes, interfaces, records, enums and methods, in the order they
     * were declared: what a remote cell needs from the notebook ({@code %%remote}). Ferry's default
     * imports are left out (every session has them).
     */
    List<String> declarations() {
        List<String> out = new ArrayList<>();
        shell.snippets().filter(sn -> shell.status(sn).isActive()).forEach(sn -> {
            switch (sn.kind()) {
                case IMPORT -> {
                    if (!DefaultImports.isFerrys(sn.source())) {
                        out.add(sn.source());
                    }
                }
                case METHOD, TYPE_DECL -> out.add(sn.source());
                default -> { }
            }
        });
        return out;
    }

    /**
     * The session's variables with their live values (for %who and friends): only those that can be
     * used, not those a changed declaration left unresolved ({@link UpdateNotices}).
     */
    List<dev.ferry.magics.JavaSession.Variable> variableValues() {
        List<dev.ferry.magics.JavaSession.Variable> vars = new ArrayList<>();
        java.util.Set<String> packages = new java.util.HashSet<>(DefaultImports.PACKAGES);
        packages.add(DefaultImports.API_PACKAGE);
        java.util.Set<String> types = new java.util.HashSet<>(DefaultImports.FERRY_TYPES);
        types.addAll(DefaultImports.API_JDK_TYPES);
        if (preferredImported) {
            DefaultImports.PREFERRED.stream().filter(t -> DefaultImports.PREFERRED_IMPORTS.contains("import " + t + ";"))
                    .forEach(types::add);
        }
        shell.imports().filter(i -> shell.status(i).isActive() && !i.isStatic()).forEach(i -> {
            if (i.fullname().endsWith(".*")) {
                packages.add(i.fullname().substring(0, i.fullname().length() - 2));
            } else {
                types.add(i.fullname());
            }
        });
        shell.variables().filter(v -> shell.status(v).isDefined()).forEach(v -> {
            Object val = engine.control.valueOf(v.name());
            vars.add(new dev.ferry.magics.JavaSession.Variable(v.name(),
                    DefaultImports.simplify(v.typeName(), packages, types),
                    val == CapturingExecutionControl.NO_VALUE ? shell.varValue(v) : val));
        });
        return vars;
    }

    void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    private static boolean isExpression(Snippet s) {
        if (s instanceof ExpressionSnippet e) {
            return !"void".equals(e.typeName());
        }
        return s.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
    }

    /** Asks a running cell to stop; a no-op when nothing runs. */
    void stop() {
        if (executing) {
            stopRequested = true;
            engine.control.stopPending = true;
            shell.stop();
            cells.interruptMagic();
        }
    }

    /** Completion at {@code cursor} (a char index): matches and the replaced range. */
    JsonObject complete(String code, int cursor) {
        JsonObject magic = completeMagic(code, cursor);
        if (magic != null) {
            return magic;
        }
        int start = splitter.snippetStart(code, cursor);
        String snippet = code.substring(start);
        int[] anchor = new int[1];
        Set<String> matches = new LinkedHashSet<>();
        for (SourceCodeAnalysis.Suggestion s : analysis.completionSuggestions(snippet, cursor - start, anchor)) {
            matches.add(s.continuation());
            if (matches.size() >= 500) {
                break;
            }
        }
        JsonObject r = new JsonObject();
        JsonArray arr = new JsonArray();
        matches.forEach(arr::add);
        r.add("matches", arr);
        r.addProperty("cursor_start", matches.isEmpty() ? cursor : start + anchor[0]);
        r.addProperty("cursor_end", cursor);
        return r;
    }

    /**
     * Completion on a magic line (the line at the cursor starts with {@code %}): magic names while the
     * name is typed, then the magic's argument names and values. Null when the line is not a magic line.
     */
    JsonObject completeMagic(String code, int cursor) {
        int lineStart = code.lastIndexOf('\n', cursor - 1) + 1;
        String before = code.substring(lineStart, cursor);
        String text = before.stripLeading();
        if (!text.startsWith("%")) {
            return null;
        }
        boolean firstLine = code.substring(0, lineStart).isBlank();
        if (text.startsWith("%%") && !firstLine) {
            return null;
        }
        try {
            if (!firstLine && MagicSyntax.parse(code.substring(0, lineStart) + "x").isCellMagic()) {
                return null; // a line in a cell magic's body: not a magic
            }
        } catch (dev.ferry.magics.MagicException e) {
            return null;
        }
        int textStart = cursor - text.length();
        dev.ferry.magics.MagicRegistry registry = cells.magics();
        List<String> matches;
        int replaceFrom;
        int ws = indexOfWhitespace(text);
        if (ws < 0) {
            matches = registry.complete(text);
            replaceFrom = textStart;
        } else {
            String name = text.substring(0, ws).replaceFirst("^%%?", "");
            try {
                dev.ferry.magics.Magic m = registry.lookup(name);
                String argsText = text.substring(ws);
                matches = registry.completeArgs(m.spec(), argsText);
                int lastWs = -1;
                for (int i = argsText.length() - 1; i >= 0; i--) {
                    if (Character.isWhitespace(argsText.charAt(i))) {
                        lastWs = i;
                        break;
                    }
                }
                replaceFrom = cursor - (argsText.length() - lastWs - 1);
            } catch (dev.ferry.magics.MagicException e) {
                matches = List.of();
                replaceFrom = cursor;
            }
        }
        JsonObject r = new JsonObject();
        JsonArray arr = new JsonArray();
        matches.forEach(arr::add);
        r.add("matches", arr);
        r.addProperty("cursor_start", matches.isEmpty() ? cursor : replaceFrom);
        r.addProperty("cursor_end", cursor);
        return r;
    }

    private static int indexOfWhitespace(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (Character.isWhitespace(s.charAt(i))) {
                return i;
            }
        }
        return -1;
    }

    /** Signature and, at detail 1 or where the JDK ships sources, javadoc of the element at the cursor. */
    JsonObject inspect(String code, int cursor, int detail) {
        int start = splitter.snippetStart(code, cursor);
        String snippet = code.substring(start);
        int at = cursor - start;
        while (at < snippet.length() && Character.isJavaIdentifierPart(snippet.charAt(at))) {
            at++; // the cursor inside a name: document the whole name, as at its end
        }
        List<SourceCodeAnalysis.Documentation> docs = analysis.documentation(snippet, at, true);
        if (docs.isEmpty()) {
            // JShell documents calls: at the end of a method name, look at it as the start of a call
            docs = snippet.startsWith("(", at) ? analysis.documentation(snippet, at + 1, true)
                    : analysis.documentation(snippet.substring(0, at) + "(" + snippet.substring(at), at + 1, true);
        }
        StringBuilder text = new StringBuilder();
        for (SourceCodeAnalysis.Documentation d : docs) {
            text.append(d.signature()).append('\n');
            if (d.javadoc() != null && !d.javadoc().isBlank()) {
                text.append('\n').append(d.javadoc().strip()).append("\n\n");
            }
        }
        JsonObject r = new JsonObject();
        r.addProperty("found", !docs.isEmpty());
        if (!docs.isEmpty()) {
            JsonObject data = new JsonObject();
            data.addProperty("text/plain", text.toString().strip());
            r.add("data", data);
        }
        return r;
    }

    /** Jupyter's is_complete: complete, incomplete (with an indent) or invalid ({@link Completeness}). */
    JsonObject isComplete(String code) {
        if (completeness == null) {
            completeness = new Completeness(analysis);
        }
        return completeness.check(code);
    }

}

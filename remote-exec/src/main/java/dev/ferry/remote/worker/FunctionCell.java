package dev.ferry.remote.worker;

import dev.ferry.magics.MagicException;
import jdk.jshell.MethodSnippet;
import jdk.jshell.Snippet;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The body of a {@code %%function} cell: exactly one method declaration, its name and signature. Anything
 * else (a statement, a variable, a class, two methods, nothing) is refused with what the cell holds and how to
 * write it.
 *
 * @param source the method's declaration as written
 */
record FunctionCell(String name, String source, MethodSignature signature) {
    static final String EXAMPLE = "%%function\nint square(int x) { return x * x; }";
    private static final Map<String, String> BOXES = Map.of("int", "Integer", "long", "Long", "double", "Double",
            "float", "Float", "boolean", "Boolean", "char", "Character", "short", "Short", "byte", "Byte", "void", "Void");

    /** Reads the cell from the snippets JShell makes of it ({@link JShellHost#parse}). */
    static FunctionCell of(String body, List<Snippet> snippets) {
        List<String> parts = new ArrayList<>();
        for (Snippet s : snippets) {
            if (!s.source().isBlank()) {
                parts.add(describe(s));
            }
        }
        if (parts.size() != 1 || !(snippets.stream().filter(s -> !s.source().isBlank()).findFirst().orElseThrow()
                instanceof MethodSnippet m)) {
            throw new MagicException("%%function needs a cell holding exactly one method declaration, for example:\n"
                    + EXAMPLE + "\nThis cell holds " + (parts.isEmpty() ? "nothing" : String.join(", ", parts))
                    + (parts.size() > 1 ? ": move the other declarations or statements to a cell of their own"
                    + " (the function can use the notebook's declarations)" : ""));
        }
        MethodSignature sig;
        try {
            sig = MethodSignature.parse(m.source(), m.name());
        } catch (IllegalArgumentException e) {
            throw new MagicException("%%function: " + e.getMessage());
        }
        return new FunctionCell(m.name(), body.strip(), sig);
    }

    /** The snippets of a cell, not run: each piece of it read by itself (sourceToSnippets reads only the first). */
    static List<Snippet> snippets(String code, CellSplitter splitter, jdk.jshell.SourceCodeAnalysis analysis) {
        List<Snippet> out = new ArrayList<>();
        for (CellSplitter.Piece p : splitter.split(code)) {
            out.addAll(analysis.sourceToSnippets(p.source()));
        }
        return out;
    }

    /** The handle's type argument: the boxed return type ({@code Integer} for {@code int}, {@code Void}). */
    String boxedReturnType() {
        String r = signature.returnType();
        return BOXES.getOrDefault(r, r);
    }

    private static String describe(Snippet s) {
        if (s instanceof jdk.jshell.VarSnippet v && v.name().startsWith("$")) {
            return "an expression"; // sourceToSnippets reads a bare expression as a temporary variable
        }
        String what = switch (s.kind()) {
            case METHOD -> "a method";
            case VAR -> "a variable";
            case TYPE_DECL -> "a type";
            case IMPORT -> "an import";
            case EXPRESSION -> "an expression";
            case STATEMENT -> "a statement";
            default -> "something that is not Java";
        };
        String name = s instanceof jdk.jshell.PersistentSnippet p ? " " + p.name() : "";
        return what + name;
    }
}

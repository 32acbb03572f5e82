package dev.ferry.remote.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A method declaration's return type and parameter types, read from its source text ({@code int square(int x)
 * { ... }}): enough to bind the arguments with their declared types and to call it.
 *
 * @param returnType     the declared return type ("void", "int", "java.util.List<String>")
 * @param parameterTypes the parameters' types in order (a varargs parameter {@code T... xs} as {@code T[]})
 * @param parameterNames the parameters' names
 */
public record MethodSignature(String returnType, List<String> parameterTypes, List<String> parameterNames) {
    private static final Set<String> MODIFIERS = Set.of("public", "protected", "private", "static", "final", "abstract",
            "synchronized", "native", "strictfp", "default");

    public MethodSignature {
        parameterTypes = List.copyOf(parameterTypes);
        parameterNames = List.copyOf(parameterNames);
    }

    /**
     * Parses the declaration of method {@code name} in {@code source}.
     *
     * @throws IllegalArgumentException when {@code source} does not declare a method of that name
     */
    public static MethodSignature parse(String source, String name) {
        String src = stripComments(source);
        Matcher m = Pattern.compile("(?<![\\w$.])" + Pattern.quote(name) + "\\s*\\(").matcher(src);
        if (!m.find()) {
            throw new IllegalArgumentException("the function's source does not declare a method named '" + name + "'");
        }
        String header = src.substring(0, m.start()).strip().replaceAll("@\\w+(\\([^)]*\\))?", " ").strip();
        List<String> words = new ArrayList<>(List.of(header.split("\\s+")));
        while (!words.isEmpty() && (MODIFIERS.contains(words.get(0)) || words.get(0).isEmpty())) {
            words.remove(0);
        }
        String ret = String.join(" ", words).strip();
        if (ret.startsWith("<")) { // a generic method's type parameters: <T> T first(List<T> xs)
            ret = ret.substring(closing(ret, 0, '<', '>') + 1).strip();
        }
        if (ret.isEmpty()) {
            throw new IllegalArgumentException("the declaration of '" + name + "' has no return type: write it as a method,"
                    + " for example int " + name + "(int x) { ... }");
        }
        int open = m.end() - 1;
        int close = closing(src, open, '(', ')');
        List<String> types = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String p : splitTopLevel(src.substring(open + 1, close))) {
            String param = p.replaceAll("@\\w+(\\([^)]*\\))?", " ").replaceAll("\\bfinal\\b", " ").strip();
            if (param.isEmpty()) {
                continue;
            }
            int cut = param.length();
            while (cut > 0 && Character.isJavaIdentifierPart(param.charAt(cut - 1))) {
                cut--;
            }
            String type = param.substring(0, cut).strip();
            if (type.endsWith("...")) {
                type = type.substring(0, type.length() - 3).strip() + "[]";
            }
            types.add(type);
            names.add(param.substring(cut));
        }
        return new MethodSignature(ret, types, names);
    }

    public boolean returnsVoid() {
        return returnType.equals("void");
    }

    /** "(int x, String s)", for messages. */
    public String describeParameters() {
        List<String> ps = new ArrayList<>();
        for (int i = 0; i < parameterTypes.size(); i++) {
            ps.add(parameterTypes.get(i) + " " + parameterNames.get(i));
        }
        return "(" + String.join(", ", ps) + ")";
    }

    private static int closing(String s, int open, char o, char c) {
        int depth = 0;
        for (int i = open; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == o) {
                depth++;
            } else if (ch == c && --depth == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unbalanced '" + o + "' in the method declaration");
    }

    private static List<String> splitTopLevel(String params) {
        List<String> out = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < params.length(); i++) {
            char ch = params.charAt(i);
            if (ch == '<' || ch == '(' || ch == '[') {
                depth++;
            } else if (ch == '>' || ch == ')' || ch == ']') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                out.add(params.substring(start, i));
                start = i + 1;
            }
        }
        out.add(params.substring(start));
        return out;
    }

    private static String stripComments(String s) {
        return s.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", " ");
    }
}

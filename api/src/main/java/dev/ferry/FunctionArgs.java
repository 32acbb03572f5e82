package dev.ferry;

import dev.ferry.spi.FunctionSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Checks a call's arguments against the method's declared parameters before anything is sent: their number,
 * and the type of each where it can be checked here (primitives, their boxes, String, and JDK types by name;
 * types declared in the notebook and type variables are left to the worker). A primitive parameter takes a
 * narrower number the way Java would ({@code long} takes an Integer), converted here.
 */
final class FunctionArgs {
    private static final Map<String, Class<?>> PRIMITIVES = Map.of("int", Integer.class, "long", Long.class,
            "double", Double.class, "float", Float.class, "boolean", Boolean.class, "char", Character.class,
            "short", Short.class, "byte", Byte.class);
    /** The boxes a primitive parameter takes by widening, in Java's order. */
    private static final Map<String, List<Class<?>>> WIDENS = Map.of(
            "short", List.of(Byte.class),
            "int", List.of(Byte.class, Short.class, Character.class),
            "long", List.of(Byte.class, Short.class, Character.class, Integer.class),
            "float", List.of(Byte.class, Short.class, Character.class, Integer.class, Long.class),
            "double", List.of(Byte.class, Short.class, Character.class, Integer.class, Long.class, Float.class));

    private FunctionArgs() {}

    /** The arguments to send, converted where a primitive parameter widens them. */
    static List<Object> check(FunctionSpec spec, Object[] args) {
        int n = spec.parameterTypes().size();
        if (args.length != n) {
            throw new InvalidArgumentException(spec.describe() + " takes " + n + " argument" + (n == 1 ? "" : "s")
                    + ", the call gave " + args.length + ": call " + spec.name() + ".remote(" + example(spec) + ")");
        }
        List<Object> out = new ArrayList<>(Arrays.asList(args));
        for (int i = 0; i < n; i++) {
            out.set(i, checkOne(spec, i, args[i]));
        }
        return out;
    }

    private static Object checkOne(FunctionSpec spec, int i, Object arg) {
        String type = spec.parameterTypes().get(i);
        Class<?> box = PRIMITIVES.get(type);
        if (box != null) {
            if (box.isInstance(arg)) {
                return arg;
            }
            if (arg != null && WIDENS.getOrDefault(type, List.of()).contains(arg.getClass())) {
                return widen(type, arg);
            }
            throw wrongType(spec, i, arg);
        }
        if (arg == null) {
            return null;
        }
        Class<?> declared = load(type);
        if (declared != null && !declared.isInstance(arg)) {
            throw wrongType(spec, i, arg);
        }
        return arg;
    }

    private static Object widen(String type, Object arg) {
        if (arg instanceof Character c) {
            arg = (int) c;
        }
        Number num = (Number) arg;
        return switch (type) {
            case "short" -> num.shortValue();
            case "int" -> num.intValue();
            case "long" -> num.longValue();
            case "float" -> num.floatValue();
            default -> num.doubleValue();
        };
    }

    /** A JDK type by its source name (generics dropped; java.lang and java.util tried for a simple name), or null. */
    static Class<?> load(String type) {
        String raw = type.replaceAll("<.*>", "").strip();
        if (raw.endsWith("[]") || raw.isEmpty()) {
            return null;
        }
        List<String> names = raw.contains(".") ? List.of(raw) : List.of("java.lang." + raw, "java.util." + raw);
        for (String name : names) {
            try {
                return Class.forName(name, false, ClassLoader.getPlatformClassLoader());
            } catch (ClassNotFoundException | LinkageError e) {
                // not a JDK type: the worker checks it
            }
        }
        return null;
    }

    private static InvalidArgumentException wrongType(FunctionSpec spec, int i, Object arg) {
        String type = spec.parameterTypes().get(i);
        String given = arg == null ? "null" : arg.getClass().getSimpleName() + " " + preview(arg);
        return new InvalidArgumentException(spec.describe() + ": argument " + (i + 1) + " (" + spec.parameterNames().get(i)
                + ") is " + article(type) + ", the call gave " + (arg == null ? "null" : article(given)) + ": pass "
                + article(type)
                + (PRIMITIVES.containsKey(type) ? ", e.g. " + spec.name() + ".remote(" + example(spec) + ")" : ""));
    }

    /** "an int", "a String". */
    static String article(String noun) {
        return ("aeiouAEIOU".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    private static String preview(Object arg) {
        String s = arg instanceof String str ? "\"" + str + "\"" : String.valueOf(arg);
        return s.length() > 40 ? s.substring(0, 37) + "..." : s;
    }

    /** Example arguments for the declared parameters: 7 for an int, "text" for a String, ... */
    private static String example(FunctionSpec spec) {
        List<String> ex = new ArrayList<>();
        for (String t : spec.parameterTypes()) {
            ex.add(switch (t) {
                case "int", "short", "byte" -> "7";
                case "long" -> "7L";
                case "double" -> "1.5";
                case "float" -> "1.5f";
                case "boolean" -> "true";
                case "char" -> "'a'";
                case "String", "java.lang.String" -> "\"text\"";
                default -> spec.parameterNames().get(ex.size());
            });
        }
        return String.join(", ", ex);
    }
}

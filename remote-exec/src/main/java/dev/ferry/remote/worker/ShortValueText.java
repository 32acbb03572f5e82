package dev.ferry.remote.worker;

import dev.ferry.remote.display.Text;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.Map;

/**
 * Keeps JShell from spelling out big values. JShell turns the value of every snippet that has one (an expression,
 * and a variable declaration too) into its text with the value's own {@code toString()}: for a list of a million
 * records that is every record, tens of megabytes and seconds, although Ferry renders the live value (a table of its
 * first and last rows) and uses the text only where the value cannot be read. {@link #run} runs the snippet in its
 * place and hands JShell a collection, map or array as a value whose text is cut like Ferry's
 * ({@link Text#of}: the first items, then "… (N more)"); every other value reaches JShell as it is.
 */
final class ShortValueText {
    private ShortValueText() {}

    /** Characters of the text JShell keeps for a collection, map or array. */
    static final int BUDGET = 2_000;

    private static final Method RUN;

    static {
        try {
            RUN = ShortValueText.class.getDeclaredMethod("run");
            RUN.setAccessible(true);
        } catch (NoSuchMethodException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The snippet's method being run (one snippet runs at a time). */
    private static volatile Method target;

    /** The method for JShell to invoke in place of the snippet's {@code doitMethod}. */
    static Method around(Method doitMethod) {
        target = doitMethod;
        return RUN;
    }

    /** Runs the snippet; its exceptions pass unchanged (JShell unwraps them as it would the snippet's own). */
    static Object run() throws Throwable {
        Object v;
        try {
            v = target.invoke(null);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        return v instanceof Collection<?> || v instanceof Map<?, ?> || (v != null && v.getClass().isArray())
                ? new Cut(v) : v;
    }

    /** A value whose text is cut to {@link #BUDGET} characters. */
    record Cut(Object value) {
        @Override
        public String toString() {
            return Text.of(value, BUDGET);
        }
    }
}

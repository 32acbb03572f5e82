package dev.ferry.remote.worker;

import jdk.jshell.execution.LocalExecutionControl;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JShell's in-process engine (so {@code JShell.stop()} works on JDK 17 and 25), extended to keep the
 * wrapper class of every evaluated snippet: a variable's live value is then a static field read away,
 * which lets the worker render the real object instead of JShell's string form.
 */
final class CapturingExecutionControl extends LocalExecutionControl {
    private volatile Class<?> lastInvoked;
    private final Map<String, Class<?>> varHolders = new ConcurrentHashMap<>();

    /** Set by an interrupt, cleared when a cell starts: a snippet that was compiling then does not run. */
    volatile boolean stopPending;

    @Override
    protected String invoke(Method doitMethod) throws Exception {
        if (stopPending) {
            throw new StoppedException();
        }
        lastInvoked = doitMethod.getDeclaringClass();
        return super.invoke(ShortValueText.around(doitMethod)); // JShell's text of a big value stays short
    }

    /** Called after a variable snippet ran: remembers which class holds it. */
    void bindVariable(String name) {
        Class<?> c = lastInvoked;
        if (c != null) {
            varHolders.put(name, c);
        }
    }

    /**
     * JShell reads a variable through here (with the class that holds it now): after a declaration it
     * depends on changed, that is a new class, which then holds its live value.
     */
    @Override
    public String varValue(String className, String varName) throws RunException, EngineTerminationException,
            InternalException {
        String text = super.varValue(className, varName);
        try {
            varHolders.put(varName, findClass(className));
        } catch (ClassNotFoundException e) {
            varHolders.remove(varName);
        }
        return text;
    }

    void forget(String name) {
        varHolders.remove(name);
    }

    /** The live value of a variable, or {@code NO_VALUE} when it cannot be read. */
    Object valueOf(String name) {
        Class<?> c = varHolders.get(name);
        if (c == null) {
            return NO_VALUE;
        }
        try {
            Field f = c.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(null);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return NO_VALUE;
        }
    }

    static final Object NO_VALUE = new Object();

    /** The provider JShell asks for its engine; hands out one shared instance. */
    static final class Provider implements ExecutionControlProvider {
        final CapturingExecutionControl control = new CapturingExecutionControl();

        @Override
        public String name() {
            return "ferry-local";
        }

        @Override
        public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
            return control;
        }
    }
}

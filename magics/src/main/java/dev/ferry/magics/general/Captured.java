package dev.ferry.magics.general;

import dev.ferry.magics.JavaSession;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What {@code %%capture NAME} binds: the captured standard output and error of the cell body. Also the
 * hand-over point for values a magic binds to a session variable: the magic parks the value here under a
 * fresh id and runs {@code var NAME = dev.ferry.magics.general.Captured.take("id");} in the session (the
 * magics' classes are on the session's class path, so both sides see this same class).
 */
public final class Captured {
    private static final Map<String, Object> PARKED = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    private final String stdout;
    private final String stderr;

    public Captured(String stdout, String stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /** The captured standard output. */
    public String stdout() {
        return stdout;
    }

    /** The captured standard error. */
    public String stderr() {
        return stderr;
    }

    /** Prints the captured output again: stdout to System.out, stderr to System.err. */
    public void show() {
        System.out.print(stdout);
        System.out.flush();
        System.err.print(stderr);
        System.err.flush();
    }

    @Override
    public String toString() {
        return "Captured[stdout=" + stdout.length() + " chars, stderr=" + stderr.length() + " chars]";
    }

    /** Takes a parked Captured (once). */
    public static Captured take(String id) {
        return (Captured) PARKED.remove(id);
    }

    /** Takes a parked String (once). */
    public static String takeText(String id) {
        return (String) PARKED.remove(id);
    }

    /** Binds {@code value} (a Captured or a String) to the session variable {@code name}. */
    static void bind(JavaSession session, String name, Object value) {
        String id = "c" + IDS.incrementAndGet();
        PARKED.put(id, value);
        try {
            String type = value instanceof Captured ? Captured.class.getName() : "String";
            String method = value instanceof Captured ? "take" : "takeText";
            session.run(type + " " + name + " = " + Captured.class.getName() + "." + method + "(\"" + id + "\");");
        } finally {
            PARKED.remove(id);
        }
    }

    /** The parked value of an id, for hosts and tests that bind without a JShell (a fake session). */
    static Object peek(String id) {
        return PARKED.get(id);
    }
}

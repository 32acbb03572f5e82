package dev.ferry.storage.sql;

import dev.ferry.arrow.Table;

import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Hands {@code out=NAME} tables ({@code %%sql}, {@code %%remote}) to the Java session: the table is parked here under a fresh id and
 * runs {@code var NAME = dev.ferry.storage.sql.Results.take("id");} in the session, which is on this class path.
 */
public final class Results {
    private Results() {
    }

    private static final Map<String, Table> PARKED = new ConcurrentHashMap<>();
    private static final AtomicLong IDS = new AtomicLong();

    /** Binds {@code table} to the session variable {@code name} (a {@code var} declaration run in the session). */
    public static void bind(dev.ferry.magics.JavaSession session, String name, Table table) {
        String id = put(table);
        try {
            session.run("var " + name + " = " + Results.class.getName() + ".take(\"" + id + "\");");
        } finally {
            discard(id);
        }
    }

    /** Parks a table and returns the id that {@link #take(String)} gives it back for. */
    public static String put(Table table) {
        String id = "sql-" + IDS.incrementAndGet();
        PARKED.put(id, table);
        return id;
    }

    /** Removes and returns the table parked under {@code id}. */
    public static Table take(String id) {
        Table t = PARKED.remove(id);
        if (t == null) {
            throw new NoSuchElementException("no %%sql result parked under " + id);
        }
        return t;
    }

    /** Drops a parked table that was never taken (the binding failed). */
    static void discard(String id) {
        PARKED.remove(id);
    }
}

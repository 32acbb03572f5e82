package dev.ferry.storage.sql;

import dev.ferry.arrow.DuckArrow;
import dev.ferry.arrow.JdbcArrow;
import dev.ferry.arrow.Table;
import dev.ferry.arrow.TableFormat;
import dev.ferry.arrow.TableView;
import dev.ferry.magics.ArgSpec;
import dev.ferry.magics.JavaSession;
import dev.ferry.magics.Magic;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicSpec;

import javax.lang.model.SourceVersion;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code %%sql}: SQL on DuckDB (in memory by default), SQLite or any JDBC database, results as Arrow tables. */
public final class SqlMagic implements Magic {
    static final int DEFAULT_LIMIT = TableFormat.DEFAULT.rows();

    static final MagicSpec SPEC = MagicSpec.builder("sql", MagicSpec.Kind.CELL)
            .summary("Run SQL on DuckDB (default: one in-memory database per notebook), SQLite or a JDBC URL")
            .arg(ArgSpec.keyword("db", ArgSpec.Type.STRING).defaultValue("duckdb")
                    .help("database: " + Connections.FORMS).example("sqlite:data.db"))
            .arg(ArgSpec.keyword("out", ArgSpec.Type.STRING)
                    .help("bind the last result, in full, as a dev.ferry.arrow.Table variable").example("result"))
            .arg(ArgSpec.keyword("limit", ArgSpec.Type.INT).defaultValue(String.valueOf(DEFAULT_LIMIT))
                    .range(1, 1_000_000).help("rows to display"))
            .details("""
                    Statements are separated by ';'. The last statement's result is shown as a table; statements \
                    that change rows print 'N rows affected'. :name is a JDBC parameter bound from the Java \
                    variable name. On DuckDB, a dev.ferry.arrow.Table variable can be queried by its name.
                    Example:
                      %%sql db=sqlite:shop.db out=big
                      SELECT * FROM orders WHERE total > :minTotal""")
            .build();

    private static final Set<String> DML = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "UPSERT");
    private static final Pattern SQLITE_NEAR = Pattern.compile("near \"(.+?)\": syntax error");

    private final Connections connections;
    /** The table shown by the previous cell and bound to nothing: closed when the next cell runs. */
    private Table lastShown;
    /** Tables this magic bound to session variables (closed when out= rebinds the same name). */
    private final Map<Table, Boolean> bound = Collections.synchronizedMap(new IdentityHashMap<>());

    public SqlMagic() {
        this(new Connections());
    }

    SqlMagic(Connections connections) {
        this.connections = connections;
    }

    Connections connections() {
        return connections;
    }

    @Override
    public MagicSpec spec() {
        return SPEC;
    }

    @Override
    public Object execute(MagicContext ctx) throws Exception {
        JavaSession session = JavaSession.of(ctx, "%%sql");
        String out = ctx.args().getString("out");
        if (out != null && (!SourceVersion.isIdentifier(out) || SourceVersion.isKeyword(out) || out.equals("_"))) {
            throw new MagicException("%%sql: out=" + out + ": not a Java variable name; write e.g. out=result");
        }
        int limit = ctx.args().getInt("limit");
        Connections.Target target = Connections.resolve(ctx.args().getString("db"), session.directory());
        List<SqlScanner.Statement> statements = SqlScanner.split(ctx.body());
        if (statements.isEmpty()) {
            throw new MagicException("%%sql: the cell has no SQL; write statements below the %%sql line");
        }
        synchronized (this) {
            if (lastShown != null) {
                lastShown.close();
                lastShown = null;
            }
        }
        Table result = null;
        Preview preview = new Preview(ctx, limit);
        Set<String> told = new java.util.HashSet<>(); // names said to be DuckDB tables in this cell
        for (int i = 0; i < statements.size(); i++) {
            boolean last = i == statements.size() - 1;
            result = runStatement(ctx, session, target, statements.get(i), i, statements.size(), last ? preview : null,
                    told);
        }
        if (result == null) {
            if (out != null) {
                ctx.stderr("out=" + out + " was not bound: the last statement returned no result\n");
            }
            return null;
        }
        if (out != null) {
            bind(session, out, result);
            if (target.duckdb() && isCatalogName(connections.current(target), out)) {
                ctx.stderr("%%sql: out=" + out + " is bound as a Java variable, but in SQL " + out + " still means "
                        + "the DuckDB table (or view) " + out + ": a DuckDB table wins over a Table variable of the "
                        + "same name; to query this result in SQL, choose another out= name\n");
            }
        }
        if (preview.shown) { // a big result: its first rows are on the page already; now the whole of it
            ctx.display(shown(result, limit), preview.id, true);
            if (out == null) {
                result.close();
            }
            return null;
        }
        if (ctx.args().has("limit")) {
            ctx.display(shown(result, limit));
            if (out == null) {
                result.close();
            }
            return null;
        }
        if (out == null) {
            synchronized (this) {
                lastShown = result;
            }
        }
        return result;
    }

    /** A result as the notebook shows every table, with at most {@code limit} rows in text and HTML alike. */
    static Map<String, Object> shown(Table result, int limit) {
        return TableFormat.DEFAULT.withRows(limit).bundle(TableView.of(result));
    }

    private void bind(JavaSession session, String name, Table table) {
        Table previous = null;
        for (JavaSession.Variable v : session.variables()) {
            if (v.name().equals(name) && v.value() instanceof Table t && bound.containsKey(t)) {
                previous = t;
            }
        }
        Results.bind(session, name, table);
        bound.put(table, Boolean.TRUE);
        if (previous != null && previous != table) {
            bound.remove(previous);
            previous.close();
        }
    }

    /** Runs one statement; returns its result as a table when it is the last one and returns rows, else null. */
    /**
     * Cancels a running statement when the cell is interrupted: the kernel's interrupt reaches a magic as a
     * thread interrupt, which a native query never sees, so a watcher turns it into {@code Statement.cancel()}.
     */
    static final class CancelOnInterrupt implements AutoCloseable {
        private static final java.util.concurrent.ScheduledExecutorService WATCHER =
                java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                    Thread t = new Thread(r, "ferry-sql-cancel");
                    t.setDaemon(true);
                    return t;
                });
        private final java.util.concurrent.ScheduledFuture<?> watch;

        CancelOnInterrupt(java.sql.Statement st) {
            Thread runner = Thread.currentThread();
            boolean[] done = new boolean[1];
            watch = WATCHER.scheduleWithFixedDelay(() -> {
                if (runner.isInterrupted() && !done[0]) {
                    done[0] = true;
                    try {
                        st.cancel();
                    } catch (SQLException | RuntimeException e) {
                        // the statement ended meanwhile
                    }
                }
            }, 50, 50, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        @Override
        public void close() {
            watch.cancel(false);
        }
    }

    /**
     * The first rows of a big DuckDB result, shown as soon as its second batch is read, in a display that the
     * whole result then replaces (time to first rows does not grow with the result).
     */
    static final class Preview {
        private static final java.util.concurrent.atomic.AtomicLong IDS = new java.util.concurrent.atomic.AtomicLong();
        final MagicContext ctx;
        final int rows;
        final String id = "ferry-sql-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet();
        boolean shown;

        Preview(MagicContext ctx, int rows) {
            this.ctx = ctx;
            this.rows = rows;
        }

        void show(Table head) {
            try (head) { // the caption must not pass these rows off as the whole result
                long n = head.rowCount();
                int m = head.columnCount();
                String caption = String.format(Locale.ROOT, "first %,d row%s × %d column%s; reading the rest...",
                        n, n == 1 ? "" : "s", m, m == 1 ? "" : "s");
                ctx.display(TableFormat.DEFAULT.withRows(rows).bundle(TableView.of(head), caption), id, false);
                shown = true;
            }
        }
    }

    private Table runStatement(MagicContext ctx, JavaSession session, Connections.Target target,
                               SqlScanner.Statement st, int index, int count, Preview preview, Set<String> told)
            throws SQLException {
        boolean last = preview != null;
        String text = st.text();
        if (target.duckdb()) { // 'vol:NAME/path' literals name files in volumes
            try {
                text = VolumePaths.rewrite(text);
            } catch (IllegalArgumentException e) {
                throw new MagicException("%%sql: " + where(st, index, count) + ": " + e.getMessage() + "\n"
                        + indent(st.text()));
            }
        }
        SqlScanner.Params params = SqlScanner.params(text);
        List<Object> values = new ArrayList<>();
        for (String name : params.names()) {
            values.add(variable(session, name, st, index, count));
        }
        StringBuilder notes = new StringBuilder();
        for (int attempt = 0; ; attempt++) {
            Connection conn = connections.get(target, notes);
            if (notes.length() > 0) {
                ctx.stderr(notes.toString());
                notes.setLength(0);
            }
            List<DuckArrow.Registration> regs = new ArrayList<>();
            try {
                if (target.duckdb()) {
                    registerTables(ctx, conn, session, st.text(), regs, told);
                }
                try (PreparedStatement ps = conn.prepareStatement(params.sql());
                     CancelOnInterrupt cancel = new CancelOnInterrupt(ps)) {
                    for (int p = 0; p < values.size(); p++) {
                        ps.setObject(p + 1, values.get(p));
                    }
                    if (ps.execute()) {
                        try (ResultSet rs = ps.getResultSet()) {
                            if (!last) {
                                return null;
                            }
                            return target.duckdb() ? DuckArrow.fromResultSet(rs, null, preview.rows, preview::show)
                                    : JdbcArrow.fromResultSet(rs);
                        }
                    }
                    long n = ps.getUpdateCount();
                    if (n > 0 || (n == 0 && DML.contains(firstWord(st.text())))) {
                        ctx.stdout(n + (n == 1 ? " row affected" : " rows affected") + "\n");
                    }
                    return null;
                }
            } catch (SQLException e) {
                if (attempt == 0 && !Connections.usable(conn)) {
                    connections.reopen(target);
                    ctx.stderr("the connection to " + target.label() + " broke during statement " + (index + 1)
                            + "; reopened it and ran the statement again"
                            + (target.url().equals("jdbc:duckdb:") ? " (on a new, empty in-memory database)" : "")
                            + "\n");
                    continue;
                }
                throw sqlError(e, target, st, index, count);
            } finally {
                for (DuckArrow.Registration r : regs) {
                    r.close();
                }
            }
        }
    }

    private static Object variable(JavaSession session, String name, SqlScanner.Statement st, int index, int count) {
        JavaSession.Variable found = null;
        for (JavaSession.Variable v : session.variables()) {
            if (v.name().equals(name)) {
                found = v;
            }
        }
        if (found == null) {
            throw new MagicException("%%sql: parameter :" + name + " in " + where(st, index, count)
                    + " has no notebook variable named '" + name + "'; define it in a Java cell first (e.g. var "
                    + name + " = 42;)\n" + indent(st.text()));
        }
        return found.value();
    }

    /**
     * Registers every open Table variable whose name the statement mentions (DuckDB reads a registration once),
     * except where the name is a table or view in DuckDB: that one wins (a registration would hide it), and the
     * cell says so once per name ({@code told}).
     */
    private static void registerTables(MagicContext ctx, Connection conn, JavaSession session, String sql,
                                       List<DuckArrow.Registration> regs, Set<String> told) throws SQLException {
        Set<String> ids = SqlScanner.identifiers(sql);
        Map<String, Table> tables = new LinkedHashMap<>();
        for (JavaSession.Variable v : session.variables()) {
            if (v.value() instanceof Table t) {
                tables.put(v.name(), t); // a later definition of the same name wins
            } else {
                tables.remove(v.name());
            }
        }
        for (Map.Entry<String, Table> e : tables.entrySet()) {
            if (e.getValue().isClosed()) {
                continue;
            }
            for (String id : ids) {
                if (id.equalsIgnoreCase(e.getKey())) {
                    if (!isCatalogName(conn, id)) {
                        regs.add(DuckArrow.register(conn, id, e.getValue()));
                    } else if (told.add(id.toLowerCase(Locale.ROOT))) {
                        ctx.stderr("%%sql: " + id + " is a DuckDB table (or view) and also a notebook Table variable;"
                                + " SQL reads the DuckDB table. To query the variable, bind it to another name "
                                + "first (e.g. var " + e.getKey() + "Rows = " + e.getKey() + ";)\n");
                    }
                    break;
                }
            }
        }
    }

    /** Whether {@code name} is a table or view in DuckDB; false when the catalog cannot be read now. */
    private static boolean isCatalogName(Connection conn, String name) {
        try {
            return conn != null && DuckArrow.hasTableOrView(conn, name);
        } catch (SQLException e) { // e.g. an aborted transaction: the statement itself will say so
            return false;
        }
    }

    private static String firstWord(String sql) {
        int i = 0;
        while (i < sql.length() && Character.isLetter(sql.charAt(i))) {
            i++;
        }
        return sql.substring(0, i).toUpperCase(Locale.ROOT);
    }

    private static String where(SqlScanner.Statement st, int index, int count) {
        return "statement " + (index + 1) + " of " + count + " (SQL line " + st.line() + ")";
    }

    static MagicException sqlError(SQLException e, Connections.Target target, SqlScanner.Statement st, int index,
                                   int count) {
        String msg = String.valueOf(e.getMessage()).strip();
        StringBuilder b = new StringBuilder("%%sql: ").append(where(st, index, count)).append(" failed on ")
                .append(target.label()).append(":\n").append(msg).append("\nin:\n");
        int pos = -1;
        if (!msg.contains("LINE ")) { // DuckDB marks the position itself
            Matcher m = SQLITE_NEAR.matcher(msg);
            if (m.find()) {
                pos = st.text().indexOf(m.group(1));
            }
        }
        String[] lines = st.text().split("\n", -1);
        int offset = 0;
        for (String line : lines) {
            b.append("    ").append(line).append('\n');
            if (pos >= offset && pos <= offset + line.length()) {
                b.append("    ").append(" ".repeat(pos - offset)).append("^\n");
                pos = -1;
            }
            offset += line.length() + 1;
        }
        b.setLength(b.length() - 1);
        return new MagicException(b.toString(), e);
    }

    private static String indent(String text) {
        return "    " + text.replace("\n", "\n    ");
    }
}

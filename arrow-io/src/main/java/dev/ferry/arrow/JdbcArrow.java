package dev.ferry.arrow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Blob;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * JDBC {@link ResultSet} -> Arrow {@link Table}, column by column with typed getters, in batches of
 * {@link Table#BATCH_ROWS} rows. Types come from {@link ResultSetMetaData}; for SQLite (dynamic typing) the declared
 * column type decides, using SQLite's affinity rules ({@link SqliteColumns}). The mapping is in docs/arrow.md.
 * The result set is read from its current position and is not closed.
 */
public final class JdbcArrow {
    private JdbcArrow() {
    }

    /** All remaining rows. */
    public static Table fromResultSet(ResultSet rs) throws SQLException {
        return fromResultSet(rs, Long.MAX_VALUE, null);
    }

    /** At most {@code maxRows} rows (the rest stay unread). */
    public static Table fromResultSet(ResultSet rs, long maxRows) throws SQLException {
        return fromResultSet(rs, maxRows, null);
    }

    /** At most {@code maxRows} rows, allocated from a child of {@code allocator} (null: the default). */
    public static Table fromResultSet(ResultSet rs, long maxRows, BufferAllocator allocator) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        boolean sqlite = isSqlite(rs, md);
        int m = md.getColumnCount();
        List<Field> fields = new ArrayList<>(m);
        Col[] cols = new Col[m];
        for (int c = 1; c <= m; c++) {
            String label = md.getColumnLabel(c);
            if (label == null || label.isEmpty()) {
                label = md.getColumnName(c);
            }
            Col col = sqlite ? SqliteColumns.column(md, c) : column(md, c);
            col.name = label;
            cols[c - 1] = col;
            fields.add(new Field(label, new FieldType(true, col.type, null), null));
        }
        Schema schema = new Schema(dedupe(fields));
        BufferAllocator alloc = Table.childOf(allocator);
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try {
            long total = 0;
            boolean more = total < maxRows && rs.next();
            do {
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
                batches.add(root);
                for (FieldVector v : root.getFieldVectors()) {
                    v.setInitialCapacity(more ? 1024 : 1);
                    v.allocateNew();
                }
                int r = 0;
                while (more && r < Table.BATCH_ROWS) {
                    for (int c = 0; c < m; c++) {
                        try {
                            cols[c].reader.read(rs, c + 1, root.getVector(c), r);
                        } catch (SQLException | RuntimeException e) {
                            throw new SQLException("column '" + cols[c].name + "' (" + cols[c].sqlType + " -> "
                                    + Render.typeName(cols[c].type) + ") at row " + (total + r) + ": " + e.getMessage(), e);
                        }
                    }
                    r++;
                    more = total + r < maxRows && rs.next();
                }
                for (FieldVector v : root.getFieldVectors()) {
                    v.setValueCount(r);
                }
                root.setRowCount(r);
                total += r;
            } while (more);
            return new Table(alloc, schema, batches);
        } catch (SQLException | RuntimeException e) {
            batches.forEach(VectorSchemaRoot::close);
            alloc.close();
            throw e;
        }
    }

    private static List<Field> dedupe(List<Field> fields) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        List<Field> out = new ArrayList<>();
        for (Field f : fields) {
            String name = f.getName();
            for (int k = 2; !seen.add(name); k++) {
                name = f.getName() + "_" + k;
            }
            out.add(name.equals(f.getName()) ? f : new Field(name, f.getFieldType(), null));
        }
        return out;
    }

    private static boolean isSqlite(ResultSet rs, ResultSetMetaData md) {
        if (md.getClass().getName().startsWith("org.sqlite.")) {
            return true;
        }
        try {
            return rs.getStatement() != null
                    && "SQLite".equalsIgnoreCase(rs.getStatement().getConnection().getMetaData().getDatabaseProductName());
        } catch (SQLException | RuntimeException e) {
            return false;
        }
    }

    @FunctionalInterface
    interface Reader {
        void read(ResultSet rs, int c, FieldVector v, int r) throws SQLException;
    }

    static final class Col {
        String name;
        final ArrowType type;
        final Reader reader;
        final String sqlType;

        Col(ArrowType type, Reader reader, String sqlType) {
            this.type = type;
            this.reader = reader;
            this.sqlType = sqlType;
        }
    }

    // ------------------------------------------------------------------ generic JDBC

    static Col column(ResultSetMetaData md, int c) throws SQLException {
        int t = md.getColumnType(c);
        String tn = String.valueOf(md.getColumnTypeName(c));
        switch (t) {
            case Types.BIT, Types.BOOLEAN:
                return new Col(Builders.BOOL, JdbcArrow::readBool, tn);
            case Types.TINYINT:
                return new Col(Builders.INT8, (rs, i, v, r) -> {
                    byte x = rs.getByte(i);
                    if (rs.wasNull()) {
                        v.setNull(r);
                    } else {
                        ((TinyIntVector) v).setSafe(r, x);
                    }
                }, tn);
            case Types.SMALLINT:
                return new Col(Builders.INT16, (rs, i, v, r) -> {
                    short x = rs.getShort(i);
                    if (rs.wasNull()) {
                        v.setNull(r);
                    } else {
                        ((SmallIntVector) v).setSafe(r, x);
                    }
                }, tn);
            case Types.INTEGER:
                return new Col(Builders.INT32, (rs, i, v, r) -> {
                    int x = rs.getInt(i);
                    if (rs.wasNull()) {
                        v.setNull(r);
                    } else {
                        ((IntVector) v).setSafe(r, x);
                    }
                }, tn);
            case Types.BIGINT:
                return new Col(Builders.INT64, JdbcArrow::readLong, tn);
            case Types.REAL:
                return new Col(Builders.FLOAT32, JdbcArrow::readFloat, tn);
            case Types.FLOAT, Types.DOUBLE: {
                // JDBC's FLOAT is double precision, but DuckDB reports its 4-byte FLOAT/REAL as Types.FLOAT
                String u = tn.toUpperCase(Locale.ROOT);
                boolean single = t == Types.FLOAT && (u.equals("FLOAT4") || u.equals("REAL")
                        || (u.equals("FLOAT") && md.getClass().getName().startsWith("org.duckdb.")));
                if (single) {
                    return new Col(Builders.FLOAT32, JdbcArrow::readFloat, tn);
                }
                return new Col(Builders.FLOAT64, JdbcArrow::readDouble, tn);
            }
            case Types.NUMERIC, Types.DECIMAL: {
                int p = md.getPrecision(c);
                int s = md.getScale(c);
                if (p > 0 && p <= 38 && s >= 0 && s <= p) {
                    return new Col(Builders.decimal(p, s), JdbcArrow::readDecimal, tn);
                }
                return new Col(Builders.UTF8, JdbcArrow::readDecimalText, tn);
            }
            case Types.CHAR, Types.VARCHAR, Types.LONGVARCHAR, Types.NCHAR, Types.NVARCHAR, Types.LONGNVARCHAR,
                 Types.CLOB, Types.NCLOB:
                return new Col(Builders.UTF8, JdbcArrow::readString, tn);
            case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB:
                return new Col(Builders.BINARY, JdbcArrow::readBytes, tn);
            case Types.DATE:
                return new Col(Builders.DATE, JdbcArrow::readDate, tn);
            case Types.TIME:
                return new Col(Builders.TIME, JdbcArrow::readTime, tn);
            case Types.TIMESTAMP:
                return new Col(Builders.TIMESTAMP, JdbcArrow::readTimestamp, tn);
            case Types.TIMESTAMP_WITH_TIMEZONE:
                return new Col(Builders.TIMESTAMP_UTC, JdbcArrow::readInstant, tn);
            default:
                return new Col(Builders.UTF8, JdbcArrow::readString, tn);
        }
    }

    // ------------------------------------------------------------------ readers

    static void readBool(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        boolean x = rs.getBoolean(i);
        if (rs.wasNull()) {
            v.setNull(r);
        } else {
            ((BitVector) v).setSafe(r, x ? 1 : 0);
        }
    }

    private static void readLong(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        long x = rs.getLong(i);
        if (rs.wasNull()) {
            v.setNull(r);
        } else {
            ((BigIntVector) v).setSafe(r, x);
        }
    }

    private static void readFloat(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        float x = rs.getFloat(i);
        if (rs.wasNull()) {
            v.setNull(r);
        } else {
            ((Float4Vector) v).setSafe(r, x);
        }
    }

    private static void readDouble(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        double x = rs.getDouble(i);
        if (rs.wasNull()) {
            v.setNull(r);
        } else {
            ((Float8Vector) v).setSafe(r, x);
        }
    }

    static void readString(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        String s = rs.getString(i);
        if (s == null) {
            v.setNull(r);
        } else {
            ((VarCharVector) v).setSafe(r, s.getBytes(StandardCharsets.UTF_8));
        }
    }

    static void readBytes(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        Object o = rs.getObject(i);
        byte[] b;
        if (o == null) {
            v.setNull(r);
            return;
        } else if (o instanceof byte[] bytes) {
            b = bytes;
        } else if (o instanceof Blob blob) {
            long n = blob.length();
            b = blob.getBytes(1, (int) n);
        } else if (o instanceof String s) {
            b = s.getBytes(StandardCharsets.UTF_8);
        } else {
            b = rs.getBytes(i);
        }
        ((VarBinaryVector) v).setSafe(r, b);
    }

    static void readDecimal(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        BigDecimal d = rs.getBigDecimal(i);
        if (d == null) {
            v.setNull(r);
            return;
        }
        DecimalVector x = (DecimalVector) v;
        BigDecimal s = d.setScale(x.getScale(), RoundingMode.HALF_UP);
        if (s.precision() > x.getPrecision()) {
            throw new SQLException("value " + d + " does not fit DECIMAL(" + x.getPrecision() + "," + x.getScale() + ")");
        }
        x.setSafe(r, s);
    }

    private static void readDecimalText(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        BigDecimal d = rs.getBigDecimal(i);
        if (d == null) {
            v.setNull(r);
        } else {
            ((VarCharVector) v).setSafe(r, d.toPlainString().getBytes(StandardCharsets.UTF_8));
        }
    }

    private static void readDate(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) {
            v.setNull(r);
            return;
        }
        LocalDate d;
        if (o instanceof LocalDate ld) {
            d = ld;
        } else if (o instanceof java.sql.Date sd) {
            d = sd.toLocalDate();
        } else if (o instanceof java.sql.Timestamp ts) {
            d = ts.toLocalDateTime().toLocalDate();
        } else if (o instanceof LocalDateTime ldt) {
            d = ldt.toLocalDate();
        } else if (o instanceof String s) {
            d = parseDateTime(s.trim()).toLocalDate();
        } else {
            throw new SQLException("value " + describe(o) + " is not a date");
        }
        ((DateDayVector) v).setSafe(r, Math.toIntExact(d.toEpochDay()));
    }

    private static void readTime(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) {
            v.setNull(r);
            return;
        }
        LocalTime t;
        if (o instanceof LocalTime lt) {
            t = lt;
        } else if (o instanceof java.sql.Time st) {
            t = st.toLocalTime();
        } else if (o instanceof OffsetTime ot) {
            t = ot.toLocalTime();
        } else if (o instanceof String s) {
            try {
                t = LocalTime.parse(s.trim());
            } catch (DateTimeParseException e) {
                throw new SQLException("value '" + s + "' is not a time");
            }
        } else {
            throw new SQLException("value " + describe(o) + " is not a time");
        }
        ((TimeMicroVector) v).setSafe(r, t.toNanoOfDay() / 1_000L);
    }

    private static void readTimestamp(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) {
            v.setNull(r);
            return;
        }
        LocalDateTime t;
        if (o instanceof LocalDateTime ldt) {
            t = ldt;
        } else if (o instanceof java.sql.Timestamp ts) {
            t = ts.toLocalDateTime();
        } else if (o instanceof java.sql.Date sd) {
            t = sd.toLocalDate().atStartOfDay();
        } else if (o instanceof OffsetDateTime odt) {
            t = LocalDateTime.ofInstant(odt.toInstant(), ZoneOffset.UTC);
        } else if (o instanceof String s) {
            t = parseDateTime(s.trim());
        } else {
            throw new SQLException("value " + describe(o) + " is not a timestamp");
        }
        ((TimeStampMicroVector) v).setSafe(r, Values.toMicros(t.toInstant(ZoneOffset.UTC)));
    }

    private static void readInstant(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) {
            v.setNull(r);
            return;
        }
        Instant t;
        if (o instanceof String s) {
            t = parseDateTime(s.trim()).toInstant(ZoneOffset.UTC);
        } else {
            try {
                t = Records.toInstant(o);
            } catch (IllegalArgumentException e) {
                throw new SQLException("value " + describe(o) + " is not a timestamp with time zone");
            }
        }
        ((TimeStampMicroTZVector) v).setSafe(r, Values.toMicros(t));
    }

    static String describe(Object o) {
        String s = o instanceof byte[] b ? "<" + b.length + " bytes>" : String.valueOf(o);
        return "'" + (s.length() > 40 ? s.substring(0, 40) + "…" : s) + "' (" + o.getClass().getSimpleName() + ")";
    }

    static LocalDateTime parseDateTime(String s) throws SQLException {
        try {
            if (s.length() == 10) {
                return LocalDate.parse(s).atStartOfDay();
            }
            String t = s.replace(' ', 'T');
            if (t.endsWith("Z") || t.matches(".*[+-]\\d\\d:\\d\\d$")) {
                return LocalDateTime.ofInstant(OffsetDateTime.parse(t.endsWith("Z") ? t : t).toInstant(),
                        ZoneOffset.UTC);
            }
            return LocalDateTime.parse(t);
        } catch (DateTimeParseException e) {
            throw new SQLException("value '" + s + "' is not an ISO-8601 date/time");
        }
    }
}

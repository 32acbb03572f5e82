package dev.ferry.arrow;

import java.sql.ResultSetMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroVector;

/**
 * The SQLite dialect of {@link JdbcArrow}. SQLite types values dynamically, so a column's Arrow type comes from its
 * declared type by SQLite's affinity rules (INT, CHAR/CLOB/TEXT, BLOB, REAL/FLOA/DOUB, NUMERIC/DECIMAL), with BOOL,
 * DATE, TIME and TIMESTAMP/DATETIME recognised too; a column without a declared type (an expression) follows the
 * driver's view of its value. Time values may be TEXT (ISO-8601), INTEGER (epoch ms) or REAL (Julian day).
 */
final class SqliteColumns {
    private SqliteColumns() {
    }

    private static final Pattern PARAMS = Pattern.compile("\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\)");

    static JdbcArrow.Col column(ResultSetMetaData md, int c) throws SQLException {
        String declared = md.getColumnTypeName(c);
        String d = declared == null ? "" : declared.toUpperCase(Locale.ROOT);
        if (d.contains("BOOL")) {
            return new JdbcArrow.Col(Builders.BOOL, JdbcArrow::readBool, declared);
        } else if (d.contains("TIMESTAMP") || d.contains("DATETIME")) {
            return new JdbcArrow.Col(Builders.TIMESTAMP, SqliteColumns::sqliteTimestamp, declared);
        } else if (d.contains("DATE")) {
            return new JdbcArrow.Col(Builders.DATE, SqliteColumns::sqliteDate, declared);
        } else if (d.contains("TIME")) {
            return new JdbcArrow.Col(Builders.TIME, SqliteColumns::sqliteTime, declared);
        } else if (d.contains("INT")) {
            return new JdbcArrow.Col(Builders.INT64, SqliteColumns::sqliteLong, declared);
        } else if (d.contains("CHAR") || d.contains("CLOB") || d.contains("TEXT")) {
            return new JdbcArrow.Col(Builders.UTF8, JdbcArrow::readString, declared);
        } else if (d.contains("BLOB") || d.contains("BINARY")) {
            return new JdbcArrow.Col(Builders.BINARY, JdbcArrow::readBytes, declared);
        } else if (d.contains("REAL") || d.contains("FLOA") || d.contains("DOUB")) {
            return new JdbcArrow.Col(Builders.FLOAT64, SqliteColumns::sqliteDouble, declared);
        } else if (d.contains("DEC") || d.contains("NUMERIC")) {
            Matcher mt = PARAMS.matcher(d);
            int p;
            int s;
            if (mt.find()) {
                p = Integer.parseInt(mt.group(1));
                s = mt.group(2) == null ? 0 : Integer.parseInt(mt.group(2));
            } else { // sqlite-jdbc strips "(p,s)" from the type name but parses them for precision/scale
                p = md.getPrecision(c);
                s = md.getScale(c);
            }
            if (p > 0 && p <= 38 && s >= 0 && s <= p) {
                return new JdbcArrow.Col(Builders.decimal(p, s), JdbcArrow::readDecimal, declared);
            }
            return new JdbcArrow.Col(Builders.FLOAT64, SqliteColumns::sqliteDouble, declared);
        }
        // no declared type (an expression) or an unknown one: the driver's view of the value
        switch (md.getColumnType(c)) {
            case Types.BIT, Types.BOOLEAN, Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT:
                return new JdbcArrow.Col(Builders.INT64, SqliteColumns::sqliteLong, declared);
            case Types.REAL, Types.FLOAT, Types.DOUBLE, Types.NUMERIC, Types.DECIMAL:
                return new JdbcArrow.Col(Builders.FLOAT64, SqliteColumns::sqliteDouble, declared);
            case Types.BLOB, Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY:
                return new JdbcArrow.Col(Builders.BINARY, JdbcArrow::readBytes, declared);
            default:
                return new JdbcArrow.Col(Builders.UTF8, JdbcArrow::readString, declared);
        }
    }

    private static void sqliteLong(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) {
            v.setNull(r);
        } else if (o instanceof Long || o instanceof Integer || o instanceof Short || o instanceof Byte) {
            ((BigIntVector) v).setSafe(r, ((Number) o).longValue());
        } else if (o instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue())
                && Math.abs(n.doubleValue()) < 9.2e18) {
            ((BigIntVector) v).setSafe(r, (long) n.doubleValue());
        } else if (o instanceof String s && s.trim().matches("[-+]?\\d+")) {
            ((BigIntVector) v).setSafe(r, Long.parseLong(s.trim()));
        } else {
            throw new SQLException("value " + JdbcArrow.describe(o) + " is not an integer");
        }
    }

    private static void sqliteDouble(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) {
            v.setNull(r);
        } else if (o instanceof Number n) {
            ((Float8Vector) v).setSafe(r, n.doubleValue());
        } else if (o instanceof String s) {
            try {
                ((Float8Vector) v).setSafe(r, Double.parseDouble(s.trim()));
            } catch (NumberFormatException e) {
                throw new SQLException("value " + JdbcArrow.describe(o) + " is not a number");
            }
        } else {
            throw new SQLException("value " + JdbcArrow.describe(o) + " is not a number");
        }
    }

    private static final double JULIAN_UNIX_EPOCH = 2440587.5;

    /** SQLite time values: TEXT (ISO-8601), INTEGER (epoch ms, JVM zone, as sqlite-jdbc writes), REAL (Julian day). */
    static LocalDateTime sqliteDateTime(Object o) throws SQLException {
        if (o instanceof Long || o instanceof Integer) {
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(((Number) o).longValue()), ZoneId.systemDefault());
        } else if (o instanceof Double d) {
            long ms = Math.round((d - JULIAN_UNIX_EPOCH) * 86_400_000d);
            return LocalDateTime.ofInstant(Instant.ofEpochMilli(ms), ZoneOffset.UTC);
        } else if (o instanceof String s) {
            return JdbcArrow.parseDateTime(s.trim());
        }
        throw new SQLException("value " + JdbcArrow.describe(o) + " is not a date/time");
    }

    private static void sqliteTimestamp(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) {
            v.setNull(r);
        } else {
            ((TimeStampMicroVector) v).setSafe(r, Values.toMicros(sqliteDateTime(o).toInstant(ZoneOffset.UTC)));
        }
    }

    private static void sqliteDate(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) {
            v.setNull(r);
        } else {
            ((DateDayVector) v).setSafe(r, Math.toIntExact(sqliteDateTime(o).toLocalDate().toEpochDay()));
        }
    }

    private static void sqliteTime(ResultSet rs, int i, FieldVector v, int r) throws SQLException {
        Object o = rs.getObject(i);
        if (o == null) {
            v.setNull(r);
            return;
        }
        LocalTime t;
        if (o instanceof String s && s.trim().length() <= 18 && s.trim().matches("\\d\\d:\\d\\d.*")) {
            try {
                t = LocalTime.parse(s.trim());
            } catch (DateTimeParseException e) {
                throw new SQLException("value '" + s + "' is not an ISO-8601 time");
            }
        } else {
            t = sqliteDateTime(o).toLocalTime();
        }
        ((TimeMicroVector) v).setSafe(r, t.toNanoOfDay() / 1_000L);
    }
}

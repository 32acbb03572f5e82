package dev.ferry.arrow;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;

import org.apache.arrow.vector.VectorSchemaRoot;

/**
 * One row of a {@link Table}: a view that is valid while the table is open. Getters take a column index or name;
 * typed getters convert like {@link Table#toRecords(Class)} (widening numbers, exact narrowing) and throw a
 * {@link NullPointerException} naming the column for a null read as a primitive.
 */
public final class Row {
    private final Table table;
    private final VectorSchemaRoot batch;
    private final int offset;
    private final long index;

    Row(Table table, VectorSchemaRoot batch, int offset, long index) {
        this.table = table;
        this.batch = batch;
        this.offset = offset;
        this.index = index;
    }

    /** This row's index in the table. */
    public long index() {
        return index;
    }

    /** The value of column {@code column} as a Java value (null for null). */
    public Object get(int column) {
        table.checkOpen();
        return Values.get(batch.getVector(column), offset);
    }

    /** The value of column {@code name}. */
    public Object get(String name) {
        return get(table.requireColumn(name));
    }

    public boolean isNull(int column) {
        table.checkOpen();
        return batch.getVector(column).isNull(offset);
    }

    public boolean isNull(String name) {
        return isNull(table.requireColumn(name));
    }

    /** The value converted to {@code type} (boxed types, String, BigDecimal, java.time, byte[]). */
    public <T> T get(String name, Class<T> type) {
        int c = table.requireColumn(name);
        @SuppressWarnings("unchecked")
        T t = (T) Records.convert(get(c), type, table.schema().getFields().get(c).getName(), index);
        return t;
    }

    public <T> T get(int column, Class<T> type) {
        @SuppressWarnings("unchecked")
        T t = (T) Records.convert(get(column), type, table.schema().getFields().get(column).getName(), index);
        return t;
    }

    public int getInt(String name) {
        return get(name, int.class);
    }

    public long getLong(String name) {
        return get(name, long.class);
    }

    public double getDouble(String name) {
        return get(name, double.class);
    }

    public boolean getBoolean(String name) {
        return get(name, boolean.class);
    }

    public String getString(String name) {
        Object o = get(name);
        return o == null ? null : o instanceof String s ? s : Values.display(o);
    }

    public BigDecimal getBigDecimal(String name) {
        return get(name, BigDecimal.class);
    }

    public byte[] getBytes(String name) {
        return get(name, byte[].class);
    }

    public LocalDate getLocalDate(String name) {
        return get(name, LocalDate.class);
    }

    public LocalTime getLocalTime(String name) {
        return get(name, LocalTime.class);
    }

    public LocalDateTime getLocalDateTime(String name) {
        return get(name, LocalDateTime.class);
    }

    public Instant getInstant(String name) {
        return get(name, Instant.class);
    }

    public int getInt(int column) {
        return get(column, int.class);
    }

    public long getLong(int column) {
        return get(column, long.class);
    }

    public double getDouble(int column) {
        return get(column, double.class);
    }

    public String getString(int column) {
        Object o = get(column);
        return o == null ? null : o instanceof String s ? s : Values.display(o);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Row[");
        for (int c = 0; c < table.columnCount(); c++) {
            if (c > 0) {
                sb.append(", ");
            }
            sb.append(table.schema().getFields().get(c).getName()).append('=').append(Values.display(get(c)));
        }
        return sb.append(']').toString();
    }
}

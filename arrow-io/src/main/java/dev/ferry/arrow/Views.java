package dev.ferry.arrow;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.RandomAccess;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;

/** The {@link TableView}s of a Table, a list of records and a map of column lists. */
final class Views {
    private Views() {
    }

    /** A cell whose value could not be read (a record accessor that threw): shown as {@code <cause>}. */
    record Unreadable(Throwable cause) {
        @Override
        public String toString() {
            return "<" + cause + ">";
        }
    }

    static final class OfTable implements TableView {
        private final Table table;

        OfTable(Table table) {
            this.table = Objects.requireNonNull(table, "table");
            table.checkOpen();
        }

        @Override
        public long rowCount() {
            return table.rowCount();
        }

        @Override
        public int columnCount() {
            return table.columnCount();
        }

        @Override
        public String columnName(int c) {
            return table.schema().getFields().get(c).getName();
        }

        @Override
        public ArrowType columnType(int c) {
            return table.columnType(c);
        }

        @Override
        public Object value(long row, int c) {
            return table.row(row).get(c);
        }
    }

    static final class OfRecords implements TableView {
        private final List<? extends Record> records;
        private final RecordType<?> type;
        private final ArrowType[] types;

        OfRecords(List<? extends Record> records) {
            Objects.requireNonNull(records, "records");
            if (records.isEmpty()) {
                throw new IllegalArgumentException("a view of records needs at least one record (its class gives "
                        + "the columns)");
            }
            this.records = records instanceof RandomAccess ? records : new ArrayList<>(records);
            Class<?> cls = Objects.requireNonNull(this.records.get(0), "record at index 0 is null").getClass();
            for (Object r : this.records) {
                if (r == null || r.getClass() != cls) {
                    throw new IllegalArgumentException("a view of records needs records of one class: " + cls.getName()
                            + " and " + (r == null ? "null" : r.getClass().getName()));
                }
            }
            @SuppressWarnings({"unchecked", "rawtypes"})
            RecordType<?> rt = RecordType.of((Class) cls);
            this.type = rt;
            this.types = new ArrowType[rt.size()];
            for (int c = 0; c < types.length; c++) {
                types[c] = Builders.typeFor(rt.componentType(c));
                if (types[c] instanceof ArrowType.Decimal) { // the scale of the table: the largest of the values
                    List<Object> column = new ArrayList<>(this.records.size());
                    for (Record r : this.records) {
                        column.add(read(r, c));
                    }
                    types[c] = decimalOf(rt.name(c), column);
                }
            }
        }

        private Object read(Object record, int c) {
            try {
                return type.read(record, c);
            } catch (IllegalArgumentException e) {
                return new Unreadable(e.getCause() == null ? e : e.getCause());
            }
        }

        @Override
        public long rowCount() {
            return records.size();
        }

        @Override
        public int columnCount() {
            return types.length;
        }

        @Override
        public String columnName(int c) {
            return type.name(c);
        }

        @Override
        public ArrowType columnType(int c) {
            return types[c];
        }

        @Override
        public String typeName(int c) {
            return types[c] == null ? type.componentType(c).getSimpleName() : Render.typeName(types[c]);
        }

        @Override
        public Object value(long row, int c) {
            return normalize(read(records.get(Math.toIntExact(row)), c), types[c]);
        }
    }

    static final class OfColumns implements TableView {
        private final List<String> names = new ArrayList<>();
        private final List<List<?>> columns = new ArrayList<>();
        private final List<ArrowType> types = new ArrayList<>();
        private final long rows;

        OfColumns(Map<String, ? extends List<?>> map) {
            Objects.requireNonNull(map, "columns");
            long n = -1;
            for (Map.Entry<String, ? extends List<?>> e : map.entrySet()) {
                String name = String.valueOf(e.getKey());
                List<?> values = Objects.requireNonNull(e.getValue(), "column '" + name + "'");
                if (n >= 0 && values.size() != n) {
                    throw new IllegalArgumentException("column '" + name + "' has " + values.size()
                            + " values but earlier columns have " + n);
                }
                n = values.size();
                names.add(name);
                columns.add(values instanceof RandomAccess ? values : new ArrayList<>(values));
                ArrowType t;
                try {
                    t = Builders.inferType(name, values);
                } catch (IllegalArgumentException | ClassCastException ex) {
                    t = null; // mixed kinds or no Arrow mapping: shown as they are
                }
                types.add(t instanceof ArrowType.Decimal ? decimalOf(name, values) : t);
            }
            rows = Math.max(n, 0);
        }

        @Override
        public long rowCount() {
            return rows;
        }

        @Override
        public int columnCount() {
            return names.size();
        }

        @Override
        public String columnName(int c) {
            return names.get(c);
        }

        @Override
        public ArrowType columnType(int c) {
            return types.get(c);
        }

        @Override
        public Object value(long row, int c) {
            return normalize(columns.get(c).get(Math.toIntExact(row)), types.get(c));
        }
    }

    private static ArrowType decimalOf(String name, List<?> values) {
        Field f = new Field(name, new FieldType(true, Builders.decimal(38, 0), null), null);
        return Builders.withDecimalScale(f, values).getType();
    }

    /**
     * {@code v} as a column of type {@code t} holds it (what {@link Builders#set} writes and {@link Values#get}
     * reads back): floating point columns hold doubles (or floats), decimals their column's scale, text columns an
     * enum's name, times microseconds. A value that does not convert is left as it is.
     */
    static Object normalize(Object v, ArrowType t) {
        if (v == null || t == null || v instanceof Unreadable) {
            return v;
        }
        try {
            switch (t.getTypeID()) {
                case FloatingPoint:
                    return ((ArrowType.FloatingPoint) t).getPrecision() == FloatingPointPrecision.DOUBLE
                            ? (Object) ((Number) v).doubleValue() : (Object) ((Number) v).floatValue();
                case Decimal:
                    BigDecimal d = (BigDecimal) Records.convert(v, BigDecimal.class, "", 0);
                    return d.setScale(((ArrowType.Decimal) t).getScale(), RoundingMode.HALF_UP);
                case Utf8:
                    return v instanceof Enum<?> e ? e.name() : v.toString();
                case Date:
                    return v instanceof java.sql.Date sd ? sd.toLocalDate() : v;
                case Time:
                    return ((LocalTime) v).truncatedTo(ChronoUnit.MICROS);
                case Timestamp:
                    if (((ArrowType.Timestamp) t).getTimezone() == null) {
                        LocalDateTime l = v instanceof LocalDateTime ldt ? ldt
                                : LocalDateTime.ofInstant(Records.toInstant(v), ZoneOffset.UTC);
                        return l.truncatedTo(ChronoUnit.MICROS);
                    }
                    return Records.toInstant(v).truncatedTo(ChronoUnit.MICROS);
                default:
                    return v;
            }
        } catch (RuntimeException e) {
            return v;
        }
    }
}

package dev.ferry.arrow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.NullVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeStampMicroTZVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.DateUnit;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/** Java values -> Arrow: type inference and batch building. */
final class Builders {
    private Builders() {
    }

    static final ArrowType BOOL = ArrowType.Bool.INSTANCE;
    static final ArrowType INT8 = new ArrowType.Int(8, true);
    static final ArrowType INT16 = new ArrowType.Int(16, true);
    static final ArrowType INT32 = new ArrowType.Int(32, true);
    static final ArrowType INT64 = new ArrowType.Int(64, true);
    static final ArrowType FLOAT32 = new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
    static final ArrowType FLOAT64 = new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
    static final ArrowType UTF8 = ArrowType.Utf8.INSTANCE;
    static final ArrowType BINARY = ArrowType.Binary.INSTANCE;
    static final ArrowType DATE = new ArrowType.Date(DateUnit.DAY);
    static final ArrowType TIME = new ArrowType.Time(TimeUnit.MICROSECOND, 64);
    static final ArrowType TIMESTAMP = new ArrowType.Timestamp(TimeUnit.MICROSECOND, null);
    static final ArrowType TIMESTAMP_UTC = new ArrowType.Timestamp(TimeUnit.MICROSECOND, "UTC");

    static ArrowType decimal(int precision, int scale) {
        return new ArrowType.Decimal(precision, scale, 128);
    }

    /** The Arrow type for values of a Java class (decimals get their scale later), or null. */
    static ArrowType typeFor(Class<?> c) {
        Class<?> b = Records.boxed(c);
        if (b == Boolean.class) {
            return BOOL;
        } else if (b == Byte.class) {
            return INT8;
        } else if (b == Short.class) {
            return INT16;
        } else if (b == Integer.class) {
            return INT32;
        } else if (b == Long.class) {
            return INT64;
        } else if (b == Float.class) {
            return FLOAT32;
        } else if (b == Double.class) {
            return FLOAT64;
        } else if (b == String.class || b == Character.class || b.isEnum()) {
            return UTF8;
        } else if (b == byte[].class) {
            return BINARY;
        } else if (b == BigDecimal.class || b == BigInteger.class) {
            return decimal(38, 0);
        } else if (b == LocalDate.class || b == java.sql.Date.class) {
            return DATE;
        } else if (b == LocalTime.class) {
            return TIME;
        } else if (b == LocalDateTime.class) {
            return TIMESTAMP;
        } else if (b == Instant.class || b == OffsetDateTime.class || b == ZonedDateTime.class
                || b == java.sql.Timestamp.class) {
            return TIMESTAMP_UTC;
        }
        return null;
    }

    interface Source {
        Object get(int column, int row);
    }

    static <R extends Record> Table fromRecords(Class<R> type, List<R> records, BufferAllocator parent) {
        Objects.requireNonNull(records, "records");
        RecordType<R> rt = RecordType.of(type);
        int k = rt.size();
        List<Field> fields = new ArrayList<>();
        for (int i = 0; i < k; i++) {
            Class<?> ct = rt.componentType(i);
            ArrowType at = typeFor(ct);
            if (at == null) {
                throw new IllegalArgumentException("record component " + type.getSimpleName() + "." + rt.name(i)
                        + " has type " + ct.getName() + ", which has no Arrow mapping (see docs/arrow.md)");
            }
            fields.add(new Field(rt.name(i), new FieldType(!ct.isPrimitive(), at, null), null));
        }
        int n = records.size();
        Object[][] cols = new Object[k][n];
        for (int r = 0; r < n; r++) {
            R rec = Objects.requireNonNull(records.get(r), "record at index " + r + " is null");
            for (int c = 0; c < k; c++) {
                cols[c][r] = rt.get(rec, c);
            }
        }
        for (int c = 0; c < fields.size(); c++) {
            fields.set(c, withDecimalScale(fields.get(c), java.util.Arrays.asList(cols[c])));
        }
        return build(new Schema(fields), n, (c, r) -> cols[c][r], parent);
    }

    static Table fromColumns(Map<String, ? extends List<?>> columns, BufferAllocator parent) {
        Objects.requireNonNull(columns, "columns");
        List<Field> fields = new ArrayList<>();
        List<List<?>> lists = new ArrayList<>();
        int n = -1;
        for (Map.Entry<String, ? extends List<?>> e : columns.entrySet()) {
            String name = Objects.requireNonNull(e.getKey(), "column name");
            List<?> values = Objects.requireNonNull(e.getValue(), "column '" + name + "'");
            if (n >= 0 && values.size() != n) {
                throw new IllegalArgumentException("column '" + name + "' has " + values.size()
                        + " values but earlier columns have " + n);
            }
            n = values.size();
            ArrowType at = inferType(name, values);
            fields.add(withDecimalScale(new Field(name, new FieldType(true, at, null), null), values));
            lists.add(values);
        }
        int rows = Math.max(n, 0);
        return build(new Schema(fields), rows, (c, r) -> lists.get(c).get(r), parent);
    }

    static ArrowType inferType(String name, List<?> values) {
        Set<Class<?>> classes = new LinkedHashSet<>();
        Class<?> last = null;
        for (Object o : values) {
            if (o != null && o.getClass() != last) { // one set lookup per change of class, not per value
                last = o.getClass();
                classes.add(last.isEnum() || o instanceof Enum<?> ? Enum.class : last);
            }
        }
        if (classes.isEmpty()) {
            return ArrowType.Null.INSTANCE;
        }
        if (classes.size() == 1) {
            Class<?> c = classes.iterator().next();
            ArrowType t = c == Enum.class ? UTF8 : typeFor(c);
            if (t == null) {
                throw new IllegalArgumentException("column '" + name + "' holds " + c.getName()
                        + " values, which have no Arrow mapping (see docs/arrow.md)");
            }
            return t;
        }
        boolean integral = true;
        boolean numeric = true;
        boolean decimal = false;
        boolean text = true;
        for (Class<?> c : classes) {
            boolean i = c == Byte.class || c == Short.class || c == Integer.class || c == Long.class;
            boolean f = c == Float.class || c == Double.class;
            boolean d = c == BigDecimal.class || c == BigInteger.class;
            integral &= i;
            numeric &= i || f || d;
            decimal |= d;
            text &= c == String.class || c == Character.class || c == Enum.class;
        }
        if (integral) {
            return INT64;
        } else if (numeric) {
            return decimal ? decimal(38, 0) : FLOAT64;
        } else if (text) {
            return UTF8;
        }
        List<String> names = new ArrayList<>();
        classes.forEach(c -> names.add(c.getSimpleName()));
        throw new IllegalArgumentException("column '" + name + "' mixes value types " + names);
    }

    /** Decimal columns: precision 38, scale = the largest scale among the values. */
    static Field withDecimalScale(Field f, List<?> values) {
        if (!(f.getType() instanceof ArrowType.Decimal)) {
            return f;
        }
        int scale = 0;
        for (Object o : values) {
            if (o instanceof BigDecimal d) {
                scale = Math.max(scale, d.scale());
            } else if (o instanceof Double || o instanceof Float) {
                scale = Math.max(scale, BigDecimal.valueOf(((Number) o).doubleValue()).scale());
            }
        }
        scale = Math.min(scale, 38);
        return new Field(f.getName(), new FieldType(f.isNullable(), decimal(38, scale), null), null);
    }

    static Table build(Schema schema, int rows, Source source, BufferAllocator parent) {
        BufferAllocator alloc = Table.childOf(parent);
        List<VectorSchemaRoot> batches = new ArrayList<>();
        try {
            for (int start = 0; start < rows || (rows == 0 && batches.isEmpty()); start += Table.BATCH_ROWS) {
                int len = Math.min(Table.BATCH_ROWS, rows - start);
                VectorSchemaRoot root = VectorSchemaRoot.create(schema, alloc);
                batches.add(root);
                for (FieldVector v : root.getFieldVectors()) {
                    v.setInitialCapacity(Math.max(len, 1));
                    v.allocateNew();
                }
                for (int c = 0; c < schema.getFields().size(); c++) {
                    FieldVector v = root.getVector(c);
                    String name = schema.getFields().get(c).getName();
                    for (int r = 0; r < len; r++) {
                        set(v, r, source.get(c, start + r), name, start + r);
                    }
                    v.setValueCount(len);
                }
                root.setRowCount(len);
                if (rows == 0) {
                    break;
                }
            }
            return new Table(alloc, schema, batches);
        } catch (RuntimeException e) {
            batches.forEach(VectorSchemaRoot::close);
            alloc.close();
            throw e;
        }
    }

    /** Sets one value (null allowed) into a vector built from one of the types above. */
    static void set(FieldVector v, int i, Object o, String column, long row) {
        if (o == null) {
            if (!(v instanceof NullVector)) {
                v.setNull(i);
            }
            return;
        }
        try {
            if (v instanceof BigIntVector x) {
                x.setSafe(i, (Long) Records.convert(o, long.class, column, row));
            } else if (v instanceof IntVector x) {
                x.setSafe(i, (Integer) Records.convert(o, int.class, column, row));
            } else if (v instanceof Float8Vector x) {
                x.setSafe(i, (Double) Records.convert(o, double.class, column, row));
            } else if (v instanceof VarCharVector x) {
                String s = o instanceof Enum<?> en ? en.name() : o instanceof String str ? str
                        : o instanceof Character ch ? ch.toString() : null;
                if (s == null) {
                    throw new IllegalArgumentException("column '" + column + "' row " + row + ": a "
                            + o.getClass().getSimpleName() + " is not text");
                }
                x.setSafe(i, s.getBytes(StandardCharsets.UTF_8));
            } else if (v instanceof BitVector x) {
                x.setSafe(i, (Boolean) Records.convert(o, boolean.class, column, row) ? 1 : 0);
            } else if (v instanceof SmallIntVector x) {
                x.setSafe(i, (Short) Records.convert(o, short.class, column, row));
            } else if (v instanceof TinyIntVector x) {
                x.setSafe(i, (Byte) Records.convert(o, byte.class, column, row));
            } else if (v instanceof Float4Vector x) {
                x.setSafe(i, (Float) Records.convert(o, float.class, column, row));
            } else if (v instanceof DecimalVector x) {
                BigDecimal d = (BigDecimal) Records.convert(o, BigDecimal.class, column, row);
                BigDecimal scaled = d.setScale(x.getScale(), RoundingMode.HALF_UP);
                if (scaled.precision() > x.getPrecision()) {
                    throw new IllegalArgumentException("column '" + column + "' row " + row + ": " + d
                            + " does not fit DECIMAL(" + x.getPrecision() + "," + x.getScale() + ")");
                }
                x.setSafe(i, scaled);
            } else if (v instanceof VarBinaryVector x) {
                if (!(o instanceof byte[] b)) {
                    throw new IllegalArgumentException("column '" + column + "' row " + row + ": a "
                            + o.getClass().getSimpleName() + " is not byte[]");
                }
                x.setSafe(i, b);
            } else if (v instanceof DateDayVector x) {
                LocalDate d = o instanceof java.sql.Date sd ? sd.toLocalDate() : (LocalDate) o;
                x.setSafe(i, Math.toIntExact(d.toEpochDay()));
            } else if (v instanceof TimeMicroVector x) {
                x.setSafe(i, ((LocalTime) o).toNanoOfDay() / 1_000L);
            } else if (v instanceof TimeStampMicroTZVector x) {
                x.setSafe(i, Values.toMicros(Records.toInstant(o)));
            } else if (v instanceof TimeStampMicroVector x) {
                LocalDateTime l = o instanceof LocalDateTime ldt ? ldt : LocalDateTime.ofInstant(Records.toInstant(o),
                        ZoneOffset.UTC);
                x.setSafe(i, Values.toMicros(l.toInstant(ZoneOffset.UTC)));
            } else if (v instanceof NullVector) {
                throw new IllegalArgumentException("column '" + column + "' has only nulls but row " + row
                        + " holds a value");
            } else {
                throw new IllegalArgumentException("column '" + column + "': writing into " + v.getClass().getSimpleName()
                        + " is not supported");
            }
        } catch (ClassCastException e) {
            throw new IllegalArgumentException("column '" + column + "' row " + row + ": a "
                    + o.getClass().getSimpleName() + " does not fit the column type " + v.getField().getType(), e);
        }
    }
}

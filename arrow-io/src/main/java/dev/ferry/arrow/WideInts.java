package dev.ferry.arrow;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.apache.arrow.vector.types.pojo.Schema;

/**
 * DuckDB's 128-bit integers in query results. {@code HUGEINT} (what {@code sum()} of integers returns) and
 * {@code UHUGEINT} reach Arrow as decimal(38,0), so a {@code sum} would show as a 38-digit decimal and read as a
 * BigDecimal. A column of them becomes int64 (Long) when every value fits, as DuckDB's own BIGINT; otherwise a
 * HUGEINT stays decimal(38,0) (exact), and a UHUGEINT above the signed 128-bit range, which the export wraps to a
 * negative number, becomes its exact decimal text.
 */
final class WideInts {
    private WideInts() {
    }

    private enum Target { KEEP, INT64, TEXT }

    /** The 0-based columns of a DuckDB result that are HUGEINT (false) or UHUGEINT (true). */
    static Map<Integer, Boolean> columns(ResultSetMetaData md) throws SQLException {
        Map<Integer, Boolean> wide = new LinkedHashMap<>();
        for (int c = 1; c <= md.getColumnCount(); c++) {
            String type = String.valueOf(md.getColumnTypeName(c)).toUpperCase(Locale.ROOT);
            if (type.equals("HUGEINT") || type.equals("UHUGEINT")) {
                wide.put(c - 1, type.equals("UHUGEINT"));
            }
        }
        return wide;
    }

    /**
     * {@code t} with its {@code wide} columns narrowed as the class comment says: a new table over the same
     * allocator and the same vectors for the other columns (the replaced vectors are closed, so use only the
     * returned table), or {@code t} itself when nothing changes.
     */
    static Table narrow(Table t, Map<Integer, Boolean> wide) {
        if (wide.isEmpty()) {
            return t;
        }
        List<Field> fields = new ArrayList<>(t.schema().getFields());
        Map<Integer, Target> change = new LinkedHashMap<>();
        for (Map.Entry<Integer, Boolean> e : wide.entrySet()) {
            int c = e.getKey();
            if (c >= fields.size() || !(fields.get(c).getType() instanceof ArrowType.Decimal d)
                    || d.getScale() != 0 || d.getBitWidth() != 128) {
                continue;
            }
            Target target = target(t, c, e.getValue());
            if (target != Target.KEEP) {
                change.put(c, target);
                Field f = fields.get(c);
                ArrowType type = target == Target.INT64 ? new ArrowType.Int(64, true) : ArrowType.Utf8.INSTANCE;
                fields.set(c, new Field(f.getName(), new FieldType(f.isNullable(), type, null, f.getMetadata()), null));
            }
        }
        if (change.isEmpty()) {
            return t;
        }
        List<List<FieldVector>> columns = new ArrayList<>();
        try {
            for (VectorSchemaRoot b : t.batches()) {
                List<FieldVector> vectors = new ArrayList<>(b.getFieldVectors());
                for (Map.Entry<Integer, Target> e : change.entrySet()) {
                    int c = e.getKey();
                    vectors.set(c, convert((DecimalVector) b.getVector(c), fields.get(c), e.getValue(),
                            wide.get(c), t.allocator()));
                }
                columns.add(vectors);
            }
        } catch (RuntimeException e) {
            for (List<FieldVector> vs : columns) {
                change.keySet().forEach(c -> vs.get(c).close());
            }
            throw e;
        }
        List<VectorSchemaRoot> batches = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            VectorSchemaRoot old = t.batches().get(i);
            for (int c : change.keySet()) {
                old.getVector(c).close();
            }
            batches.add(new VectorSchemaRoot(fields, columns.get(i), old.getRowCount()));
        }
        return new Table(t.allocator(), new Schema(fields, t.schema().getCustomMetadata()), batches);
    }

    private static Target target(Table t, int column, boolean unsigned) {
        boolean int64 = true;
        for (VectorSchemaRoot b : t.batches()) {
            DecimalVector v = (DecimalVector) b.getVector(column);
            ArrowBuf data = v.getDataBuffer();
            for (int r = 0, n = b.getRowCount(); r < n; r++) {
                if (v.isNull(r)) {
                    continue;
                }
                long lo = data.getLong((long) r * 16);
                long hi = data.getLong((long) r * 16 + 8);
                if (unsigned && hi < 0) {
                    return Target.TEXT;
                }
                int64 &= unsigned ? hi == 0 && lo >= 0 : hi == lo >> 63;
            }
        }
        return int64 ? Target.INT64 : Target.KEEP;
    }

    private static FieldVector convert(DecimalVector v, Field field, Target target, boolean unsigned,
                                       BufferAllocator alloc) {
        int n = v.getValueCount();
        ArrowBuf data = v.getDataBuffer();
        if (target == Target.INT64) {
            BigIntVector out = new BigIntVector(field, alloc);
            out.allocateNew(n);
            for (int r = 0; r < n; r++) {
                if (!v.isNull(r)) {
                    out.set(r, data.getLong((long) r * 16));
                }
            }
            out.setValueCount(n);
            return out;
        }
        VarCharVector out = new VarCharVector(field, alloc);
        out.allocateNew(n);
        for (int r = 0; r < n; r++) {
            if (!v.isNull(r)) {
                BigInteger value = unsigned ? unsignedValue(data.getLong((long) r * 16 + 8), data.getLong((long) r * 16))
                        : v.getObject(r).toBigInteger();
                out.setSafe(r, value.toString().getBytes(StandardCharsets.US_ASCII));
            }
        }
        out.setValueCount(n);
        return out;
    }

    private static BigInteger unsignedValue(long hi, long lo) {
        return new BigInteger(Long.toUnsignedString(hi)).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
    }
}

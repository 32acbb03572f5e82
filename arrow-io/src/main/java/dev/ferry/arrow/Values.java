package dev.ferry.arrow;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneOffset;

import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.LargeVarCharVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeMicroVector;
import org.apache.arrow.vector.TimeMilliVector;
import org.apache.arrow.vector.TimeNanoVector;
import org.apache.arrow.vector.TimeSecVector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.UInt2Vector;
import org.apache.arrow.vector.UInt4Vector;
import org.apache.arrow.vector.UInt8Vector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.LargeVarBinaryVector;
import org.apache.arrow.vector.FixedSizeBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.util.Text;

/** Reads one Arrow value as the Java value documented in docs/arrow.md. */
final class Values {
    private Values() {
    }

    static Object get(FieldVector v, int i) {
        if (v.isNull(i)) {
            return null;
        }
        if (v instanceof IntVector x) {
            return x.get(i);
        } else if (v instanceof BigIntVector x) {
            return x.get(i);
        } else if (v instanceof Float8Vector x) {
            return x.get(i);
        } else if (v instanceof VarCharVector x) {
            return new String(x.get(i), StandardCharsets.UTF_8);
        } else if (v instanceof BitVector x) {
            return x.get(i) != 0;
        } else if (v instanceof SmallIntVector x) {
            return x.get(i);
        } else if (v instanceof TinyIntVector x) {
            return x.get(i);
        } else if (v instanceof Float4Vector x) {
            return x.get(i);
        } else if (v instanceof DecimalVector x) {
            return x.getObject(i);
        } else if (v instanceof VarBinaryVector x) {
            return x.get(i);
        } else if (v instanceof LargeVarBinaryVector x) {
            return x.get(i);
        } else if (v instanceof FixedSizeBinaryVector x) {
            return x.get(i);
        } else if (v instanceof LargeVarCharVector x) {
            return new String(x.get(i), StandardCharsets.UTF_8);
        } else if (v instanceof DateDayVector x) {
            return LocalDate.ofEpochDay(x.get(i));
        } else if (v instanceof DateMilliVector x) {
            return LocalDate.ofEpochDay(Math.floorDiv(x.get(i), 86_400_000L));
        } else if (v instanceof TimeMicroVector x) {
            return LocalTime.ofNanoOfDay(x.get(i) * 1_000L);
        } else if (v instanceof TimeMilliVector x) {
            return LocalTime.ofNanoOfDay(x.get(i) * 1_000_000L);
        } else if (v instanceof TimeNanoVector x) {
            return LocalTime.ofNanoOfDay(x.get(i));
        } else if (v instanceof TimeSecVector x) {
            return LocalTime.ofSecondOfDay(x.get(i));
        } else if (v instanceof TimeStampVector x) {
            ArrowType.Timestamp t = (ArrowType.Timestamp) x.getField().getType();
            Instant instant = toInstant(x.get(i), t.getUnit());
            return t.getTimezone() == null ? LocalDateTime.ofInstant(instant, ZoneOffset.UTC) : instant;
        } else if (v instanceof UInt1Vector x) {
            return (short) (x.get(i) & 0xFF);
        } else if (v instanceof UInt2Vector x) {
            return (int) x.get(i);
        } else if (v instanceof UInt4Vector x) {
            return x.get(i) & 0xFFFF_FFFFL;
        } else if (v instanceof UInt8Vector x) {
            long l = x.get(i);
            return l >= 0 ? BigDecimal.valueOf(l).toBigInteger()
                    : new java.math.BigInteger(Long.toUnsignedString(l));
        }
        Object o = v.getObject(i);
        return o instanceof Text t ? t.toString() : o;
    }

    static Instant toInstant(long value, TimeUnit unit) {
        return switch (unit) {
            case SECOND -> Instant.ofEpochSecond(value);
            case MILLISECOND -> Instant.ofEpochMilli(value);
            case MICROSECOND -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000L),
                    Math.floorMod(value, 1_000_000L) * 1_000L);
            case NANOSECOND -> Instant.ofEpochSecond(Math.floorDiv(value, 1_000_000_000L),
                    Math.floorMod(value, 1_000_000_000L));
        };
    }

    static long toMicros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000L);
    }

    /** A short display form for text/HTML rendering. */
    static String display(Object o) {
        if (o == null) {
            return "null";
        }
        if (o instanceof byte[] b) {
            StringBuilder sb = new StringBuilder("0x");
            int n = Math.min(b.length, 16);
            for (int i = 0; i < n; i++) {
                sb.append(Character.forDigit((b[i] >> 4) & 0xF, 16)).append(Character.forDigit(b[i] & 0xF, 16));
            }
            if (b.length > n) {
                sb.append("…(").append(b.length).append(" bytes)");
            }
            return sb.toString();
        }
        if (o instanceof BigDecimal d) {
            return d.toPlainString();
        }
        return String.valueOf(o);
    }
}

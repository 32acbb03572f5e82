package dev.ferry.arrow;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/** Conversions between column values and Java types, and Table -> records. */
final class Records {
    private Records() {
    }

    private static final Map<Class<?>, Class<?>> BOX = Map.of(
            boolean.class, Boolean.class, byte.class, Byte.class, short.class, Short.class, int.class, Integer.class,
            long.class, Long.class, float.class, Float.class, double.class, Double.class, char.class, Character.class);

    static Class<?> boxed(Class<?> c) {
        return c.isPrimitive() ? BOX.get(c) : c;
    }

    static <R extends Record> List<R> toRecords(Table t, Class<R> type) {
        RecordType<R> rt = RecordType.of(type);
        int k = rt.size();
        int[] cols = new int[k];
        Class<?>[] types = new Class<?>[k];
        for (int i = 0; i < k; i++) {
            String name = rt.name(i);
            types[i] = rt.componentType(i);
            cols[i] = t.columnIndex(name);
            if (cols[i] < 0) {
                throw new IllegalArgumentException("record " + type.getSimpleName() + " component '" + name
                        + "' has no column; columns are " + t.columnNames());
            }
            ArrowType at = t.columnType(cols[i]);
            Class<?> produced = javaClass(at);
            if (produced != null && !canConvert(produced, types[i])) {
                throw new IllegalArgumentException("record " + type.getSimpleName() + " component '" + name
                        + "' (" + types[i].getSimpleName() + ") cannot be read from column '"
                        + t.schema().getFields().get(cols[i]).getName() + "' of type " + Render.typeName(at)
                        + " (Java " + produced.getSimpleName() + ")");
            }
        }
        long n = t.rowCount();
        List<R> out = new ArrayList<>((int) Math.min(n, Integer.MAX_VALUE - 8));
        Object[] args = new Object[k];
        for (Row row : t) {
            for (int i = 0; i < k; i++) {
                Object v = row.get(cols[i]);
                if (v == null && types[i].isPrimitive()) {
                    throw new IllegalArgumentException("column '" + rt.name(i) + "' is null at row "
                            + row.index() + " but record component " + type.getSimpleName() + "." + rt.name(i)
                            + " is a primitive " + types[i].getName() + " (use " + boxed(types[i]).getSimpleName() + ")");
                }
                args[i] = convert(v, types[i], rt.name(i), row.index());
            }
            try {
                out.add(rt.construct(args));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage() + " (row " + row.index() + ")", e.getCause());
            }
        }
        return out;
    }

    /** The Java class a column of this Arrow type yields, or null where not known statically. */
    static Class<?> javaClass(ArrowType t) {
        return switch (t.getTypeID()) {
            case Bool -> Boolean.class;
            case Int -> {
                ArrowType.Int i = (ArrowType.Int) t;
                if (!i.getIsSigned()) {
                    yield switch (i.getBitWidth()) {
                        case 8 -> Short.class;
                        case 16 -> Integer.class;
                        case 32 -> Long.class;
                        default -> BigInteger.class;
                    };
                }
                yield switch (i.getBitWidth()) {
                    case 8 -> Byte.class;
                    case 16 -> Short.class;
                    case 32 -> Integer.class;
                    default -> Long.class;
                };
            }
            case FloatingPoint -> ((ArrowType.FloatingPoint) t).getPrecision() == FloatingPointPrecision.DOUBLE
                    ? Double.class : Float.class;
            case Utf8, LargeUtf8 -> String.class;
            case Binary, LargeBinary, FixedSizeBinary -> byte[].class;
            case Decimal -> BigDecimal.class;
            case Date -> LocalDate.class;
            case Time -> LocalTime.class;
            case Timestamp -> ((ArrowType.Timestamp) t).getTimezone() == null ? LocalDateTime.class : Instant.class;
            default -> null;
        };
    }

    private static boolean isIntegral(Class<?> c) {
        return c == Byte.class || c == Short.class || c == Integer.class || c == Long.class || c == BigInteger.class;
    }

    private static boolean isFloating(Class<?> c) {
        return c == Float.class || c == Double.class;
    }

    static boolean canConvert(Class<?> from, Class<?> to) {
        Class<?> t = boxed(to);
        if (t == Object.class || t.isAssignableFrom(from)) {
            return true;
        }
        if (isIntegral(t)) {
            return isIntegral(from) || from == BigDecimal.class;
        }
        if (isFloating(t) || t == BigDecimal.class || t == Number.class) {
            return isIntegral(from) || isFloating(from) || from == BigDecimal.class;
        }
        if (t == Character.class || t.isEnum()) {
            return from == String.class;
        }
        if (t == LocalDateTime.class || t == Instant.class || t == OffsetDateTime.class) {
            return from == LocalDateTime.class || from == Instant.class;
        }
        return false;
    }

    /** Converts a column value to {@code to}; errors name the column and row. */
    static Object convert(Object v, Class<?> to, String column, long row) {
        if (v == null) {
            if (to.isPrimitive()) {
                throw new NullPointerException("column '" + column + "' is null at row " + row
                        + ": cannot read it as " + to.getName());
            }
            return null;
        }
        Class<?> t = boxed(to);
        if (t.isInstance(v)) {
            return v;
        }
        try {
            if (v instanceof Number n) {
                if (t == Long.class) {
                    return integral(n).longValueExact();
                } else if (t == Integer.class) {
                    return integral(n).intValueExact();
                } else if (t == Short.class) {
                    return integral(n).shortValueExact();
                } else if (t == Byte.class) {
                    return integral(n).byteValueExact();
                } else if (t == BigInteger.class) {
                    return integral(n);
                } else if (t == Double.class) {
                    return n.doubleValue();
                } else if (t == Float.class) {
                    return n.floatValue();
                } else if (t == BigDecimal.class) {
                    return n instanceof BigInteger b ? new BigDecimal(b)
                            : (n instanceof Double || n instanceof Float) ? BigDecimal.valueOf(n.doubleValue())
                            : BigDecimal.valueOf(n.longValue());
                }
            } else if (v instanceof String s) {
                if (t == Character.class && s.length() == 1) {
                    return s.charAt(0);
                }
                if (t.isEnum()) {
                    for (Object c : t.getEnumConstants()) {
                        if (((Enum<?>) c).name().equals(s)) {
                            return c;
                        }
                    }
                    throw new IllegalArgumentException("'" + s + "' is not a constant of " + t.getSimpleName());
                }
            } else if (v instanceof LocalDateTime ldt) {
                if (t == Instant.class) {
                    return ldt.toInstant(ZoneOffset.UTC);
                } else if (t == OffsetDateTime.class) {
                    return ldt.atOffset(ZoneOffset.UTC);
                }
            } else if (v instanceof Instant i) {
                if (t == LocalDateTime.class) {
                    return LocalDateTime.ofInstant(i, ZoneOffset.UTC);
                } else if (t == OffsetDateTime.class) {
                    return i.atOffset(ZoneOffset.UTC);
                }
            }
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("column '" + column + "' row " + row + ": value " + v
                    + " does not fit " + to.getSimpleName() + " exactly", e);
        }
        throw new IllegalArgumentException("column '" + column + "' row " + row + ": a " + v.getClass().getSimpleName()
                + " cannot be converted to " + to.getSimpleName());
    }

    private static BigInteger integral(Number n) {
        if (n instanceof BigInteger b) {
            return b;
        } else if (n instanceof BigDecimal d) {
            return d.toBigIntegerExact();
        } else if (n instanceof Double || n instanceof Float) {
            throw new ArithmeticException("floating point");
        }
        return BigInteger.valueOf(n.longValue());
    }

    /** Java value -> instant, for writers accepting several time classes. */
    static Instant toInstant(Object o) {
        if (o instanceof Instant i) {
            return i;
        } else if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        } else if (o instanceof ZonedDateTime z) {
            return z.toInstant();
        } else if (o instanceof java.sql.Timestamp ts) {
            return ts.toInstant();
        } else if (o instanceof java.util.Date d) {
            return d.toInstant();
        } else if (o instanceof LocalDateTime l) {
            return l.toInstant(ZoneOffset.UTC);
        }
        throw new IllegalArgumentException("a " + o.getClass().getSimpleName() + " is not a point in time");
    }
}

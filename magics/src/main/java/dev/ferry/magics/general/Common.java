package dev.ferry.magics.general;

import dev.ferry.magics.JavaSession;
import dev.ferry.magics.MagicContext;
import dev.ferry.magics.MagicException;
import dev.ferry.magics.MagicRegistry;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Path;

/** Helpers the general magics share. */
final class Common {
    private Common() {}

    static JavaSession session(MagicContext ctx, String magic) {
        return JavaSession.of(ctx, magic);
    }

    static MagicRegistry registry(MagicContext ctx, String magic) {
        return ctx.service(MagicRegistry.class).orElseThrow(
            () -> new MagicException(magic + " needs the magic registry, which this host does not offer"));
    }

    /** A path as the user wrote it ({@code ~} is the home directory), relative to the session's directory. */
    static Path resolve(JavaSession session, String path) {
        String p = path;
        if (p.equals("~") || p.startsWith("~/")) {
            p = dev.ferry.spi.FerryEnv.current().userHome() + p.substring(1);
        }
        return session.directory().resolve(p).normalize();
    }

    /**
     * A duration like IPython's {@code _format_time}: 3 significant digits in s, ms, µs or ns; a minute or
     * more as {@code 1min 5s}.
     */
    static String formatTime(double seconds) {
        if (seconds >= 60.0) {
            StringBuilder sb = new StringBuilder();
            double left = seconds;
            String[] units = {"d", "h", "min", "s"};
            long[] lengths = {86400, 3600, 60, 1};
            for (int i = 0; i < units.length; i++) {
                long value = (long) (left / lengths[i]);
                if (value > 0) {
                    left = left % lengths[i];
                    if (sb.length() > 0) {
                        sb.append(' ');
                    }
                    sb.append(value).append(units[i]);
                }
                if (left <= 0) {
                    break;
                }
            }
            return sb.toString();
        }
        String[] units = {"s", "ms", "µs", "ns"};
        double[] scaling = {1, 1e3, 1e6, 1e9};
        int order = seconds > 0.0 ? Math.min(-Math.floorDiv((int) Math.floor(Math.log10(seconds)), 3), 3) : 3;
        order = Math.max(order, 0);
        return significant(seconds * scaling[order], 3) + " " + units[order];
    }

    /** Python's {@code %.3g} for the values formatTime meets: 3 significant digits, no trailing zeros. */
    static String significant(double v, int digits) {
        if (v == 0) {
            return "0";
        }
        BigDecimal d = new BigDecimal(v).round(new MathContext(digits)).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0).toPlainString() : d.toPlainString();
    }

    /** A value's text for listings: arrays readable, newlines escaped, never an exception. */
    static String text(Object v) {
        try {
            if (v == null) {
                return "null";
            }
            if (v.getClass().isArray()) {
                String s = java.util.Arrays.deepToString(new Object[] {v});
                return s.substring(1, s.length() - 1);
            }
            return String.valueOf(v);
        } catch (RuntimeException | StackOverflowError e) {
            return "<" + e.getClass().getSimpleName() + " in toString()>";
        }
    }

    static boolean isIdentifier(String s) {
        if (s == null || s.isEmpty() || !Character.isJavaIdentifierStart(s.codePointAt(0))) {
            return false;
        }
        return s.codePoints().allMatch(Character::isJavaIdentifierPart);
    }
}

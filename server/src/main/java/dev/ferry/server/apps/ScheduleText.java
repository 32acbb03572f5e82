package dev.ferry.server.apps;

import dev.ferry.proto.v1.CronSchedule;
import dev.ferry.proto.v1.Schedule;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The text form of a schedule, as {@code %%function schedule=...} and the CLI write it, and back:
 * {@code cron 0 9 * * * Europe/Paris} (a Unix 5-field cron expression, then an optional IANA zone, default UTC)
 * or {@code every 5s} (a fixed period: {@code 500ms}, {@code 5s}, {@code 10m}, {@code 2h}, {@code 1d}, or
 * combined as {@code 1h30m}). Only the shape is read here; {@link CronRules} checks the fields.
 */
public final class ScheduleText {
    /** The shortest period the server fires. */
    public static final long MIN_PERIOD_MS = 1000;
    private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h|d)");

    private ScheduleText() {}

    /** Reads {@code text}; blank: no schedule (the default instance). */
    public static Schedule parse(String text) {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            return Schedule.getDefaultInstance();
        }
        String[] words = t.split("\\s+");
        String kind = words[0].toLowerCase(Locale.ROOT);
        if (kind.equals("cron")) {
            if (words.length != 6 && words.length != 7) {
                throw new IllegalArgumentException("schedule=\"" + t + "\": a cron schedule is 'cron' and 5 fields (minute hour"
                        + " day-of-month month day-of-week), then an optional time zone, e.g. schedule=\"cron 0 9 * * 1-5"
                        + " Europe/Paris\"; this one has " + (words.length - 1) + " word" + (words.length == 2 ? "" : "s")
                        + " after 'cron'");
            }
            String expr = String.join(" ", java.util.Arrays.copyOfRange(words, 1, 6));
            return Schedule.newBuilder().setCron(CronSchedule.newBuilder().setExpression(expr)
                    .setTimeZone(words.length == 7 ? words[6] : "")).build();
        }
        if (kind.equals("every")) {
            String d = t.substring(words[0].length()).replaceAll("\\s+", "").toLowerCase(Locale.ROOT);
            return Schedule.newBuilder().setPeriodMs(period(d, t)).build();
        }
        throw new IllegalArgumentException("schedule=\"" + t + "\" is neither a cron schedule nor a period: write"
                + " schedule=\"cron 0 9 * * * Europe/Paris\" (Unix cron and an IANA time zone) or schedule=\"every 5m\"");
    }

    private static long period(String d, String whole) {
        Matcher m = PART.matcher(d);
        long ms = 0;
        int at = 0;
        while (at < d.length() && m.find(at) && m.start() == at) {
            long n = Long.parseLong(m.group(1));
            ms += switch (m.group(2)) {
                case "ms" -> n;
                case "s" -> n * 1000;
                case "m" -> n * 60_000;
                case "h" -> n * 3_600_000;
                default -> n * 86_400_000;
            };
            at = m.end();
        }
        if (d.isEmpty() || at != d.length()) {
            throw new IllegalArgumentException("schedule=\"" + whole + "\": '" + d + "' is not a period; write a number and a"
                    + " unit (ms, s, m, h, d), e.g. every 30s, every 5m, every 1h30m");
        }
        if (ms < MIN_PERIOD_MS) {
            throw new IllegalArgumentException("schedule=\"" + whole + "\": the shortest period is 1s");
        }
        return ms;
    }

    /** "cron 0 9 * * * Europe/Paris", "every 5s", or "" for none. */
    public static String describe(Schedule s) {
        return switch (s.getKindCase()) {
            case CRON -> "cron " + s.getCron().getExpression() + " "
                    + (s.getCron().getTimeZone().isEmpty() ? "UTC" : s.getCron().getTimeZone());
            case PERIOD_MS -> "every " + describe(Duration.ofMillis(s.getPeriodMs()));
            default -> "";
        };
    }

    static String describe(Duration d) {
        long ms = d.toMillis();
        if (ms % 1000 != 0) {
            return ms + "ms";
        }
        StringBuilder b = new StringBuilder();
        long s = ms / 1000;
        long[] sizes = {86400, 3600, 60, 1};
        String[] units = {"d", "h", "m", "s"};
        for (int i = 0; i < sizes.length; i++) {
            if (s >= sizes[i]) {
                b.append(s / sizes[i]).append(units[i]);
                s %= sizes[i];
            }
        }
        return b.toString();
    }
}

package dev.ferry;

import java.time.Duration;
import java.time.ZoneId;

/**
 * When the Ferry server runs a deployed function by itself: {@link #cron} (a Unix 5-field cron expression in an
 * IANA time zone; daylight saving as the zone has it) or {@link #every} (a fixed period, counted from the app's
 * latest deploy). Its text is what {@code %%function schedule=...} takes: {@code cron 0 9 * * * Europe/Paris},
 * {@code every 5m}. A run due while the previous one still runs is skipped; runs missed while the server was
 * down are not caught up (docs/apps.md).
 */
public final class Schedule {
    private final String text;

    private Schedule(String text) {
        this.text = text;
    }

    /** A cron schedule: {@code Schedule.cron("0 9 * * 1-5", "Europe/Paris")}; the fields are checked at deploy. */
    public static Schedule cron(String expression, String timeZone) {
        String[] fields = expression == null ? new String[0] : expression.strip().split("\\s+");
        if (fields.length != 5) {
            throw new InvalidArgumentException("cron '" + expression + "' has " + fields.length + " fields; a Unix cron"
                    + " expression has 5: minute hour day-of-month month day-of-week, e.g. \"0 9 * * 1-5\"");
        }
        String zone = timeZone == null || timeZone.isBlank() ? "UTC" : timeZone.strip();
        try {
            ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw new InvalidArgumentException("'" + zone + "' is not a time zone: use an IANA name such as Europe/Paris or UTC");
        }
        return new Schedule("cron " + String.join(" ", fields) + " " + zone);
    }

    /** A cron schedule in UTC. */
    public static Schedule cron(String expression) {
        return cron(expression, "UTC");
    }

    /** A fixed period between the starts of runs (at least 1 s): {@code Schedule.every(Duration.ofMinutes(5))}. */
    public static Schedule every(Duration period) {
        if (period == null || period.toMillis() < 1000) {
            throw new InvalidArgumentException("a schedule's period is at least 1 s (it was " + period + ")");
        }
        return new Schedule("every " + period.toMillis() + "ms");
    }

    /** Reads the text form ({@code cron ...} or {@code every ...}); the server checks the details at deploy. */
    public static Schedule parse(String text) {
        String t = text == null ? "" : text.strip();
        String kind = t.split("\\s+")[0];
        if (!kind.equals("cron") && !kind.equals("every")) {
            throw new InvalidArgumentException("schedule=\"" + t + "\" is neither a cron schedule nor a period: write"
                    + " schedule=\"cron 0 9 * * * Europe/Paris\" (Unix cron and an IANA time zone) or schedule=\"every 5m\"");
        }
        if (kind.equals("cron")) {
            String[] w = t.split("\\s+");
            if (w.length != 6 && w.length != 7) {
                throw new InvalidArgumentException("schedule=\"" + t + "\": a cron schedule is 'cron' and 5 fields (minute"
                        + " hour day-of-month month day-of-week), then an optional time zone, e.g. schedule=\"cron 0 9 * * 1-5"
                        + " Europe/Paris\"");
            }
            return cron(String.join(" ", java.util.Arrays.copyOfRange(w, 1, 6)), w.length == 7 ? w[6] : "UTC");
        }
        return new Schedule(t);
    }

    /** The text form. */
    public String text() {
        return text;
    }

    @Override
    public String toString() {
        return text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule s && s.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }
}

package dev.ferry.server.apps;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import dev.ferry.proto.v1.CronSchedule;
import dev.ferry.proto.v1.Schedule;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Optional;

/**
 * When a schedule runs next: cron expressions with cron-utils (Unix 5-field syntax) in their IANA time zone
 * (so {@code 0 9 * * *} is 09:00 local time on both sides of a daylight-saving change), and fixed periods
 * anchored at the app's deploy (a redeploy re-anchors them, as Modal's {@code Period} does).
 */
public final class CronRules {
    private static final CronDefinition UNIX = CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX);
    private static final CronParser PARSER = new CronParser(UNIX);
    private static final String[] FIELDS = {"minute", "hour", "day of month", "month", "day of week"};
    private static final String[] RANGES = {"0-59", "0-23", "1-31", "1-12 or JAN-DEC", "0-7 or SUN-SAT"};

    private CronRules() {}

    /** Checks a schedule; throws {@link IllegalArgumentException} naming the wrong field or zone. */
    public static void check(Schedule s) {
        if (s.getKindCase() == Schedule.KindCase.CRON) {
            cron(s.getCron());
            zone(s.getCron());
        } else if (s.getKindCase() == Schedule.KindCase.PERIOD_MS && s.getPeriodMs() < ScheduleText.MIN_PERIOD_MS) {
            throw new IllegalArgumentException("a schedule's period is at least 1s (it was " + s.getPeriodMs() + " ms)");
        }
    }

    static Cron cron(CronSchedule c) {
        String expr = c.getExpression().strip();
        String[] f = expr.split("\\s+");
        if (f.length != 5) {
            throw new IllegalArgumentException("cron '" + expr + "' has " + f.length + " field" + (f.length == 1 ? "" : "s")
                    + "; a Unix cron expression has 5: minute hour day-of-month month day-of-week, e.g. '0 9 * * 1-5'");
        }
        try {
            return PARSER.parse(expr);
        } catch (IllegalArgumentException whole) {
            for (int i = 0; i < 5; i++) { // which field: parse it alone, the others '*'
                String[] probe = {"*", "*", "*", "*", "*"};
                probe[i] = f[i];
                try {
                    PARSER.parse(String.join(" ", probe));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("cron '" + expr + "': the " + FIELDS[i] + " field '" + f[i]
                            + "' is wrong (" + FIELDS[i] + " takes " + RANGES[i] + ", lists a,b, ranges a-b, steps */n):"
                            + " " + e.getMessage());
                }
            }
            throw new IllegalArgumentException("cron '" + expr + "' is not a valid Unix cron expression: " + whole.getMessage());
        }
    }

    static ZoneId zone(CronSchedule c) {
        String z = c.getTimeZone().isBlank() ? "UTC" : c.getTimeZone().strip();
        try {
            return ZoneId.of(z);
        } catch (DateTimeException e) {
            throw new IllegalArgumentException("'" + z + "' is not a time zone: use an IANA name such as Europe/Paris,"
                    + " America/New_York or UTC");
        }
    }

    /**
     * The first run strictly after {@code after}; {@code anchorMs} is when the app was deployed (periods count
     * from it). Empty for no schedule.
     */
    public static Optional<Instant> next(Schedule s, Instant after, long anchorMs) {
        switch (s.getKindCase()) {
            case CRON -> {
                ZonedDateTime from = after.atZone(zone(s.getCron()));
                return ExecutionTime.forCron(cron(s.getCron())).nextExecution(from).map(ZonedDateTime::toInstant);
            }
            case PERIOD_MS -> {
                long p = s.getPeriodMs();
                long t = after.toEpochMilli();
                long k = t < anchorMs ? 1 : (t - anchorMs) / p + 1;
                return Optional.of(Instant.ofEpochMilli(anchorMs + k * p));
            }
            default -> {
                return Optional.empty();
            }
        }
    }
}

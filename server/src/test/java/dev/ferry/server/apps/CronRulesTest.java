package dev.ferry.server.apps;

import dev.ferry.proto.v1.Schedule;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CronRulesTest {
    private static final ZoneId PARIS = ZoneId.of("Europe/Paris");

    private static List<Instant> next(Schedule s, Instant from, int n, long anchor) {
        List<Instant> out = new ArrayList<>();
        Instant t = from;
        for (int i = 0; i < n; i++) {
            t = CronRules.next(s, t, anchor).orElseThrow();
            out.add(t);
        }
        return out;
    }

    @Test
    void dailyCronStaysAtNineLocalAcrossTheSpringChange() {
        Schedule s = ScheduleText.parse("cron 0 9 * * * Europe/Paris");
        // Paris goes from +01:00 to +02:00 at 02:00 on 2026-03-29
        Instant from = ZonedDateTime.of(2026, 3, 27, 12, 0, 0, 0, PARIS).toInstant();
        List<Instant> runs = next(s, from, 3, 0);
        for (Instant r : runs) {
            assertEquals(9, r.atZone(PARIS).getHour(), r.toString());
            assertEquals(0, r.atZone(PARIS).getMinute(), r.toString());
        }
        assertEquals(List.of(28, 29, 30), runs.stream().map(r -> r.atZone(PARIS).getDayOfMonth()).toList());
        assertEquals(Instant.parse("2026-03-28T08:00:00Z"), runs.get(0));
        assertEquals(Instant.parse("2026-03-29T07:00:00Z"), runs.get(1));
        assertEquals(Duration.ofHours(23), Duration.between(runs.get(0), runs.get(1)), "the day of the change has 23 hours");
        assertEquals(Duration.ofHours(24), Duration.between(runs.get(1), runs.get(2)));
    }

    @Test
    void dailyCronStaysAtNineLocalAcrossTheAutumnChange() {
        Schedule s = ScheduleText.parse("cron 0 9 * * * Europe/Paris");
        Instant from = ZonedDateTime.of(2026, 10, 23, 12, 0, 0, 0, PARIS).toInstant(); // back to +01:00 at 03:00 on 2026-10-25
        List<Instant> runs = next(s, from, 3, 0);
        assertEquals(List.of(Instant.parse("2026-10-24T07:00:00Z"), Instant.parse("2026-10-25T08:00:00Z"),
                Instant.parse("2026-10-26T08:00:00Z")), runs);
        assertEquals(Duration.ofHours(25), Duration.between(runs.get(0), runs.get(1)), "the day of the change has 25 hours");
    }

    @Test
    void aTimeInTheSkippedHourDoesNotRunThatDayAndOneInTheRepeatedHourRunsOnce() {
        Schedule s = ScheduleText.parse("cron 30 2 * * * Europe/Paris");
        // 02:30 does not exist on 2026-03-29 (02:00 -> 03:00): no run that day, 02:30 local again the next
        List<Instant> spring = next(s, ZonedDateTime.of(2026, 3, 28, 12, 0, 0, 0, PARIS).toInstant(), 2, 0);
        assertEquals(List.of(Instant.parse("2026-03-30T00:30:00Z"), Instant.parse("2026-03-31T00:30:00Z")), spring);
        // 02:30 happens twice on 2026-10-25 (03:00 -> 02:00): one run, at the first
        List<Instant> autumn = next(s, ZonedDateTime.of(2026, 10, 24, 12, 0, 0, 0, PARIS).toInstant(), 2, 0);
        assertEquals(List.of(Instant.parse("2026-10-25T00:30:00Z"), Instant.parse("2026-10-26T01:30:00Z")), autumn);
    }

    @Test
    void aPeriodCountsFromTheDeploy() {
        Schedule s = ScheduleText.parse("every 5s");
        assertEquals(5000, s.getPeriodMs());
        long anchor = 1_000_000;
        assertEquals(Instant.ofEpochMilli(anchor + 5000), CronRules.next(s, Instant.ofEpochMilli(anchor), anchor).orElseThrow());
        assertEquals(Instant.ofEpochMilli(anchor + 15000), CronRules.next(s, Instant.ofEpochMilli(anchor + 12_345), anchor).orElseThrow());
        assertEquals(Instant.ofEpochMilli(anchor + 15000), CronRules.next(s, Instant.ofEpochMilli(anchor + 10_000), anchor).orElseThrow());
        assertEquals(5400_000, ScheduleText.parse("every 1h30m").getPeriodMs());
        assertEquals("every 1h30m", ScheduleText.describe(ScheduleText.parse("every 1h30m")));
        assertEquals("cron 0 9 * * 1-5 Europe/Paris", ScheduleText.describe(ScheduleText.parse("cron 0 9 * * 1-5 Europe/Paris")));
        assertEquals("cron */15 * * * * UTC", ScheduleText.describe(ScheduleText.parse("cron */15 * * * *")));
    }

    @Test
    void aBadScheduleNamesWhatIsWrong() {
        IllegalArgumentException hour = assertThrows(IllegalArgumentException.class,
                () -> CronRules.check(ScheduleText.parse("cron 0 25 * * *")));
        assertTrue(hour.getMessage().startsWith("cron '0 25 * * *': the hour field '25' is wrong (hour takes 0-23"), hour.getMessage());
        IllegalArgumentException dow = assertThrows(IllegalArgumentException.class,
                () -> CronRules.check(ScheduleText.parse("cron 0 9 * * MOX")));
        assertTrue(dow.getMessage().contains("the day of week field 'MOX' is wrong"), dow.getMessage());
        IllegalArgumentException zone = assertThrows(IllegalArgumentException.class,
                () -> CronRules.check(ScheduleText.parse("cron 0 9 * * * Europe/Pariss")));
        assertTrue(zone.getMessage().startsWith("'Europe/Pariss' is not a time zone"), zone.getMessage());
        IllegalArgumentException fields = assertThrows(IllegalArgumentException.class, () -> ScheduleText.parse("cron 0 9 * *"));
        assertTrue(fields.getMessage().contains("5 fields"), fields.getMessage());
        IllegalArgumentException period = assertThrows(IllegalArgumentException.class, () -> ScheduleText.parse("every 5 parsecs"));
        assertTrue(period.getMessage().contains("is not a period"), period.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ScheduleText.parse("every 200ms"));
        IllegalArgumentException kind = assertThrows(IllegalArgumentException.class, () -> ScheduleText.parse("daily"));
        assertTrue(kind.getMessage().contains("neither a cron schedule nor a period"), kind.getMessage());
    }
}

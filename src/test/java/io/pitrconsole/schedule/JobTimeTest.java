package io.pitrconsole.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.DayOfWeek;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.junit.jupiter.api.Test;

class JobTimeTest {
    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void nextRunIsStrictlyLaterAndOnTheRightDay() {
        JobTime daily = JobTime.daily(LocalTime.of(2, 0));
        ZonedDateTime at2 = ZonedDateTime.of(2026, 11, 25, 2, 0, 0, 0, BERLIN);
        assertThat(daily.next(at2)).isEqualTo(at2.plusDays(1));
        assertThat(daily.next(at2.minusMinutes(1))).isEqualTo(at2);
        JobTime sunday = JobTime.weekly(DayOfWeek.SUNDAY, LocalTime.of(3, 0));
        assertThat(sunday.next(at2)).isEqualTo(ZonedDateTime.of(2026, 11, 29, 3, 0, 0, 0, BERLIN));
        assertThat(sunday.next(ZonedDateTime.of(2026, 11, 29, 3, 0, 0, 0, BERLIN)))
                .isEqualTo(ZonedDateTime.of(2026, 12, 6, 3, 0, 0, 0, BERLIN));
    }

    @Test
    void cronAndOnCalendarTextReadBackToTheSameTime() {
        JobTime sunday = JobTime.weekly(DayOfWeek.SUNDAY, LocalTime.of(3, 5));
        assertThat(sunday.toCron()).isEqualTo("5 3 * * 0");
        assertThat(sunday.toOnCalendar()).isEqualTo("Sun *-*-* 03:05:00");
        assertThat(JobTime.parseCron(sunday.toCron())).contains(sunday);
        assertThat(JobTime.parseOnCalendar(sunday.toOnCalendar())).contains(sunday);
        JobTime daily = JobTime.daily(LocalTime.of(23, 59));
        assertThat(JobTime.parseCron(daily.toCron())).contains(daily);
        assertThat(JobTime.parseOnCalendar(daily.toOnCalendar())).contains(daily);
        assertThat(JobTime.parseCron("*/5 * * * *")).isEmpty();
    }
}

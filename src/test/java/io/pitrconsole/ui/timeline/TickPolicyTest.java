package io.pitrconsole.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class TickPolicyTest {
    private static final TickPolicy UTC = new TickPolicy(ZoneOffset.UTC, 80);

    private static TimeScale scale(String from, String to, double width) {
        long a = TimeScale.micros(Instant.parse(from));
        long b = TimeScale.micros(Instant.parse(to));
        return new TimeScale(a, (b - a) / width, width);
    }

    @Test
    void spacingGoesFromSecondsToYearsAsTheViewWidens() {
        assertThat(UTC.step(1_000_000.0 / 100)).isEqualTo(new TickPolicy.Step(TickPolicy.Unit.SECOND, 1));
        assertThat(UTC.step(60e6 / 100)).isEqualTo(new TickPolicy.Step(TickPolicy.Unit.MINUTE, 1));
        assertThat(UTC.step(3600e6 / 50)).isEqualTo(new TickPolicy.Step(TickPolicy.Unit.HOUR, 2));
        assertThat(UTC.step(86_400e6 / 100)).isEqualTo(new TickPolicy.Step(TickPolicy.Unit.DAY, 1));
        assertThat(UTC.step(365 * 86_400e6 / 100)).isEqualTo(new TickPolicy.Step(TickPolicy.Unit.YEAR, 1));
        assertThat(UTC.step(1e15)).isEqualTo(new TickPolicy.Step(TickPolicy.Unit.YEAR, 100));
    }

    @Test
    void ticksStayAtLeastTheMinimumApartAcrossEveryResolution() {
        long t0 = TimeScale.micros(Instant.parse("2026-11-25T10:17:33Z"));
        for (double mpp = 1_000; mpp < 1e13; mpp *= 3.7) {
            TimeScale s = new TimeScale(t0, mpp, 1200);
            List<TickPolicy.Tick> ticks = UTC.ticks(s);
            for (int i = 1; i < ticks.size(); i++) {
                // months differ in length: a month step may come a few percent under the nominal spacing
                assertThat(s.x(ticks.get(i).micros()) - s.x(ticks.get(i - 1).micros())).as("mpp %s", mpp).isGreaterThan(80 * 0.9);
            }
            assertThat(ticks).allSatisfy(t -> assertThat(t.micros()).isBetween(s.start(), s.end()));
        }
    }

    @Test
    void hourTicksFallOnRoundLocalHoursAndMidnightNamesTheDay() {
        TickPolicy berlin = new TickPolicy(ZoneId.of("Europe/Berlin"), 80);
        List<TickPolicy.Tick> ticks = berlin.ticks(scale("2026-11-25T17:10:00Z", "2026-11-26T03:10:00Z", 500));

        assertThat(ticks).extracting(TickPolicy.Tick::label)
                .containsExactly("20:00", "22:00", "Thu 26 Nov", "02:00", "04:00");
        assertThat(ticks.get(2).major()).isTrue();
        assertThat(TimeScale.instant(ticks.get(2).micros())).isEqualTo(Instant.parse("2026-11-25T23:00:00Z"));
    }

    @Test
    void secondTicksLabelTheSecond() {
        List<TickPolicy.Tick> ticks = UTC.ticks(scale("2026-11-25T10:00:00.500Z", "2026-11-25T10:00:05.500Z", 400));

        assertThat(ticks).extracting(TickPolicy.Tick::label).containsExactly("10:00:01", "10:00:02", "10:00:03", "10:00:04", "10:00:05");
    }

    @Test
    void monthTicksStartOnTheFirstAndJanuaryShowsTheYear() {
        List<TickPolicy.Tick> ticks = UTC.ticks(scale("2026-10-15T00:00:00Z", "2027-03-15T00:00:00Z", 500));

        assertThat(ticks).extracting(TickPolicy.Tick::label).containsExactly("Nov", "Dec", "2027", "Feb", "Mar");
        assertThat(TimeScale.instant(ticks.get(0).micros())).isEqualTo(Instant.parse("2026-11-01T00:00:00Z"));
    }

    @Test
    void dayTicksRestartEachMonthOnTheFirst() {
        List<TickPolicy.Tick> ticks = UTC.ticks(scale("2026-01-26T00:00:00Z", "2026-02-06T00:00:00Z", 600));

        assertThat(ticks).extracting(TickPolicy.Tick::label).containsExactly("27 Jan", "29 Jan", "1 Feb", "3 Feb", "5 Feb");
    }
}

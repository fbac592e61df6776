package io.pitrconsole.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimeScaleTest {
    private static final long HOUR = 3_600_000_000L;
    private static final long T0 = TimeScale.micros(Instant.parse("2026-11-25T10:00:00Z"));

    @Test
    void mapsTimesToPixelsAndBack() {
        TimeScale s = new TimeScale(T0, HOUR / 1000.0, 1000);

        assertThat(s.x(T0 + HOUR / 2)).isCloseTo(500, within(1e-9));
        assertThat(s.timeAt(250)).isEqualTo(T0 + HOUR / 4);
        assertThat(s.end()).isEqualTo(T0 + HOUR);
        assertThat(TimeScale.instant(TimeScale.micros(Instant.parse("2026-11-25T10:00:00.123456Z"))))
                .isEqualTo(Instant.parse("2026-11-25T10:00:00.123456Z"));
    }

    @Test
    void zoomKeepsTheMomentUnderTheMouseInPlace() {
        TimeScale s = new TimeScale(T0, HOUR / 1000.0, 1000);
        long under = s.timeAt(700);

        TimeScale in = s.zoom(4, 700);

        assertThat(in.microsPerPixel()).isCloseTo(HOUR / 4000.0, within(1e-6));
        assertThat(in.timeAt(700)).isCloseTo(under, within(1L));
        assertThat(in.zoom(0.25, 700).microsPerPixel()).isCloseTo(s.microsPerPixel(), within(1e-6));
    }

    @Test
    void zoomStopsAtAMillisecondPerPixelAndTwoCenturiesAcross() {
        TimeScale s = new TimeScale(T0, HOUR / 1000.0, 1000);

        assertThat(s.zoom(1e12, 0).microsPerPixel()).isEqualTo(TimeScale.MIN_MICROS_PER_PIXEL);
        assertThat(s.zoom(1e-12, 0).end() - T0).isLessThanOrEqualTo(TimeScale.MAX_SPAN_MICROS + 1);
    }

    @Test
    void dragRightShowsEarlierTimes() {
        TimeScale s = new TimeScale(T0, 1000, 800);

        assertThat(s.pan(100).start()).isEqualTo(T0 - 100_000);
        assertThat(s.pan(-100).x(T0)).isCloseTo(-100, within(1e-9));
    }

    @Test
    void fitShowsTheWholeRangeWithMargins() {
        TimeScale s = TimeScale.fit(T0, T0 + 10 * HOUR, 1000, 0.05);

        assertThat(s.x(T0)).isCloseTo(50, within(0.01));
        assertThat(s.x(T0 + 10 * HOUR)).isCloseTo(950, within(0.01));
    }

    @Test
    void fitOfASingleMomentCentresTenSeconds() {
        TimeScale s = TimeScale.fit(T0, T0, 1000, 0);

        assertThat(s.x(T0)).isCloseTo(500, within(0.01));
        assertThat(s.end() - s.start()).isCloseTo(10_000_000L, within(2L));
    }

    @Test
    void resizingKeepsLeftEdgeAndResolution() {
        TimeScale s = new TimeScale(T0, 1000, 800).withWidth(1600);

        assertThat(s.start()).isEqualTo(T0);
        assertThat(s.end()).isEqualTo(T0 + 1_600_000);
    }
}

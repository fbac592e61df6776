package io.pitrconsole.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpanSeriesTest {
    @Test
    void sortsAndJoinsOverlappingSpans() {
        SpanSeries s = SpanSeries.of(new long[] {50, 0, 10, 100}, new long[] {60, 20, 30, 100});

        assertThat(s.size()).isEqualTo(3);
        assertThat(new long[] {s.from(0), s.to(0), s.from(1), s.to(1), s.from(2), s.to(2)})
                .containsExactly(0, 30, 50, 60, 100, 100);
    }

    @Test
    void findsTheFirstVisibleSpanAndWhatCoversAMoment() {
        SpanSeries s = SpanSeries.of(new long[] {0, 50, 100}, new long[] {30, 60, 100});

        assertThat(s.firstEndingAtOrAfter(31)).isEqualTo(1);
        assertThat(s.firstEndingAtOrAfter(200)).isEqualTo(3);
        assertThat(s.covers(30)).isTrue();
        assertThat(s.covers(40)).isFalse();
        assertThat(s.nearest(40)).isEqualTo(30);
        assertThat(s.nearest(45)).isEqualTo(50);
        assertThat(s.nearest(55)).isEqualTo(55);
        assertThat(SpanSeries.empty().nearest(5)).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void aCoarseResolutionJoinsSpansCloserThanAPixelAndKeepsWiderGaps() {
        long[] f = new long[1000];
        long[] t = new long[1000];
        for (int i = 0; i < 1000; i++) {
            f[i] = i * 1000L;
            t[i] = i * 1000L + 990;
        }
        for (int i = 500; i < 1000; i++) {
            f[i] += 100_000;
            t[i] += 100_000;
        }
        SpanSeries s = SpanSeries.of(f, t);

        SpanSeries coarse = s.atResolution(4096);

        assertThat(coarse.size()).isEqualTo(2);
        assertThat(coarse.joinedBelow()).isEqualTo(4096);
        assertThat(s.atResolution(5000)).isSameAs(coarse);
        assertThat(s.atResolution(1).size()).isEqualTo(1000);
        assertThat(coarse.from(0)).isZero();
        assertThat(coarse.to(0)).isEqualTo(499_990);
        assertThat(coarse.from(1)).isEqualTo(600_000);
    }
}

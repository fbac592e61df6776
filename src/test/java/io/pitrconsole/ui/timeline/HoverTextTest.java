package io.pitrconsole.ui.timeline;

import static io.pitrconsole.ui.timeline.Synthetic.at;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HoverTextTest {
    private final HoverText hover = new HoverText(ZoneOffset.ofHours(2));
    private final TimelineData.Lane lane = Synthetic.loaded().data().lane(1).orElseThrow();
    private static final long SECOND = 1_000_000L;

    private String at(double minutes, Optional<Long> nearest) {
        return hover.describe(lane, TimeScale.micros(Synthetic.at(minutes)), 2 * SECOND, nearest);
    }

    @Test
    void nearABackupNamesItWithTimesAndLocations() {
        assertThat(at(2 + 20 / 60.0, Optional.empty()))
                .startsWith("Backup backup_a (complete)")
                .contains("start 2026-11-25 12:02:10.000000+02:00  LSN 0/2000028")
                .contains("stop  2026-11-25 12:02:20.000000+02:00  LSN 0/2000100");
    }

    @Test
    void nearARestorePointNamesIt() {
        assertThat(at(3 + 50 / 60.0, Optional.empty())).startsWith("Restore point 'before_upgrade'").contains("12:03:50.000000+02:00");
    }

    @Test
    void overAGapSaysWhatIsMissing() {
        assertThat(at(7.5, Optional.empty())).startsWith("WAL gap on timeline 1: 2 segment(s) missing after 000000010000000000000006");
    }

    @Test
    void elsewhereTheExactTimeTheSegmentAndWhetherItIsRestorable() {
        long t = TimeScale.micros(Synthetic.at(4.5));
        assertThat(hover.describe(lane, t, 2 * SECOND, Optional.of(t)))
                .isEqualTo("2026-11-25 12:04:30.000000+02:00  timeline 1\nsegment 000000010000000000000005  LSN 0/5000028 - 0/5FFFF9C\nrestorable");
        assertThat(at(1.9, Optional.of(TimeScale.micros(Synthetic.at(2).plusSeconds(21)))))
                .endsWith("not restorable; nearest restorable moment 2026-11-25 12:02:21.000000+02:00");
    }
}

package io.pitrconsole.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.TimelineHistory;
import io.pitrconsole.wal.WalArchiveIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * A moment clicked on the Recovery Timeline is restorable exactly when the planner would plan it:
 * a window's last transaction itself is not (the planner refuses it), the microsecond before is,
 * and the restorable span drawn ends there.
 */
class MomentDetailsEdgeTest {
    private static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final BackupRecord BACKUP = new BackupRecord(1, "backup_20261125_100300", "b", BackupStatus.COMPLETE,
            T0.plusSeconds(165), T0.plusSeconds(185), "backup-history-file", new Lsn(3 * SEG + 0x28), new Lsn(3 * SEG + 0x100),
            new Lsn(3 * SEG + 0x60), 1, "15", "1", SEG, null, 0, 0, "localhost", 5432, List.of(), List.of(), 1.0, null, null, null);

    private static SegmentInfo seg(long n) {
        WalSegmentName name = new WalSegmentName(1, n, SEG);
        Instant last = T0.plusSeconds(60 * n).plusNanos(123_456_000L);
        return new SegmentInfo(name, Path.of(name.toString()), SEG, new Lsn(n * SEG + 40), new Lsn(n * SEG + SEG - 100),
                Optional.of(last.minusSeconds(30)), Optional.of(last), List.of(), true, Optional.empty());
    }

    @Test
    void theLastTransactionItselfIsNotRestorableTheMicrosecondBeforeIs() {
        WalArchiveIndex index = WalArchiveIndex.of(SEG, LongStream.rangeClosed(3, 5).mapToObj(MomentDetailsEdgeTest::seg).toList(),
                TimelineHistory.empty());
        RecoveryWindows windows = RecoveryWindows.compute(List.of(BACKUP), index);
        RecoveryWindow w = windows.windows().get(0);

        MomentDetails atEnd = MomentDetails.of(windows, List.of(BACKUP), w.to(), 1);
        assertThat(atEnd.restorable()).isFalse();
        assertThat(atEnd.nearestRestorable()).containsExactly(w.lastReachable());
        assertThat(MomentDetails.of(windows, List.of(BACKUP), w.lastReachable(), 1).restorable()).isTrue();
        assertThat(MomentDetails.of(windows, List.of(BACKUP), w.from(), 1).restorable()).isTrue();

        TimelineData.Lane lane = TimelineData.of(windows, List.of(BACKUP)).lanes().get(0);
        assertThat(lane.restorable().covers(TimeScale.micros(w.lastReachable()))).isTrue();
        assertThat(lane.restorable().covers(TimeScale.micros(w.to()))).isFalse();
    }
}

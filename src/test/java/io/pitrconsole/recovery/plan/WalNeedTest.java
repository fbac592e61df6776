package io.pitrconsole.recovery.plan;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.wal.RestorePoint;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.TimelineHistory;
import io.pitrconsole.wal.WalArchiveIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How much WAL a restore to a moment reads: the timeline's "how much WAL it needs". */
class WalNeedTest {
    private static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    /** Segment n's transactions run from T0 + n minutes - 30 s to T0 + n minutes; its file is n KiB. */
    private static SegmentInfo seg(int tli, long n) {
        WalSegmentName name = new WalSegmentName(tli, n, SEG);
        Instant last = T0.plusSeconds(60 * n);
        return new SegmentInfo(name, Path.of(name.toString()), 1024 * n, new Lsn(n * SEG + 40), new Lsn(n * SEG + SEG - 100),
                Optional.of(last.minusSeconds(30)), Optional.of(last), List.<RestorePoint>of(), true, Optional.empty());
    }

    private static List<SegmentInfo> range(int tli, long from, long to) {
        List<SegmentInfo> l = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            l.add(seg(tli, n));
        }
        return l;
    }

    private static BackupRecord backup(long startSeg) {
        return new BackupRecord(1, "backup_1", "b", BackupStatus.COMPLETE, T0, T0.plusSeconds(60 * startSeg + 10), "backup-history-file",
                new Lsn(startSeg * SEG + 0x28), new Lsn(startSeg * SEG + 0x100), null, 1, "15", "1", SEG, null, 0, 0, "localhost",
                5432, List.of(), List.of(), 1.0, null, null, null);
    }

    @Test
    void readsFromTheBackupsStartThroughTheFirstSegmentWithALaterCommit() {
        WalArchiveIndex index = WalArchiveIndex.of(SEG, range(1, 2, 9), TimelineHistory.empty());

        WalNeed need = WalNeed.of(index, backup(3), 1, T0.plusSeconds(5 * 60 + 10));

        assertThat(need.segments()).isEqualTo(4);
        assertThat(need.bytes()).isEqualTo(1024L * (3 + 4 + 5 + 6));
        assertThat(need.first()).contains(new WalSegmentName(1, 3, SEG));
        assertThat(need.last()).contains(new WalSegmentName(1, 6, SEG));
    }

    @Test
    void aTargetPastTheLastCommitReadsTheWholeChainUpToAGap() {
        List<SegmentInfo> segs = new ArrayList<>(range(1, 3, 5));
        segs.addAll(range(1, 8, 9));
        WalArchiveIndex index = WalArchiveIndex.of(SEG, segs, TimelineHistory.empty());

        WalNeed need = WalNeed.of(index, backup(3), 1, T0.plusSeconds(3600));

        assertThat(need.segments()).isEqualTo(3);
        assertThat(need.last()).contains(new WalSegmentName(1, 5, SEG));
    }

    @Test
    void followsTheTimelinePathFromTheBranchSegmentOn() {
        List<SegmentInfo> segs = new ArrayList<>(range(1, 3, 9));
        segs.addAll(range(2, 6, 9));
        TimelineHistory h = TimelineHistory.of(Map.of(2, "1\t0/6000100\tno recovery target specified\n"), Set.of(1, 2));
        WalArchiveIndex index = WalArchiveIndex.of(SEG, segs, h);

        WalNeed need = WalNeed.of(index, backup(3), 2, T0.plusSeconds(7 * 60 + 1));

        assertThat(need.segments()).isEqualTo(6);
        assertThat(need.first()).contains(new WalSegmentName(1, 3, SEG));
        assertThat(need.last()).contains(new WalSegmentName(2, 8, SEG));
        assertThat(need.bytes()).isEqualTo(1024L * (3 + 4 + 5 + 6 + 7 + 8));
    }

    @Test
    void aTimelineNotDescendedFromTheBackupsNeedsNothingFromIt() {
        WalArchiveIndex index = WalArchiveIndex.of(SEG, range(3, 3, 5), TimelineHistory.empty());

        assertThat(WalNeed.of(index, backup(3), 3, T0.plusSeconds(200)).segments()).isZero();
    }
}

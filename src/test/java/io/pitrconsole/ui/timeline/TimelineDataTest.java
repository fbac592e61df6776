package io.pitrconsole.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.AbandonedTimeline;
import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.window.RecoveryWindows;
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

/** The timeline's model from real window arithmetic over segment summaries. */
class TimelineDataTest {
    private static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private static long min(double minutes) {
        return TimeScale.micros(T0) + (long) (minutes * 60_000_000L);
    }

    /** Segment n holds commits from T0 + n minutes - 30 s to T0 + n minutes. */
    private static SegmentInfo seg(int tli, long n, RestorePoint... points) {
        WalSegmentName name = new WalSegmentName(tli, n, SEG);
        Instant last = T0.plusSeconds(60 * n);
        return new SegmentInfo(name, Path.of(name.toString()), SEG, new Lsn(n * SEG + 40), new Lsn(n * SEG + SEG - 100),
                Optional.of(last.minusSeconds(30)), Optional.of(last), List.of(points), true, Optional.empty());
    }

    private static BackupRecord backup(String id, long startSeg) {
        return new BackupRecord(1, id, id, BackupStatus.COMPLETE, T0.plusSeconds(60 * startSeg - 50), T0.plusSeconds(60 * startSeg - 40),
                "backup-history-file", new Lsn(startSeg * SEG + 0x28), new Lsn(startSeg * SEG + 0x100), null, 1, "15", "1", SEG, null,
                0, 0, "localhost", 5432, List.of(), List.of(), 1.0, null, null, null);
    }

    private static TimelineData data() {
        return data(AbandonedTimelines.none());
    }

    private static TimelineData data(AbandonedTimelines abandoned) {
        List<SegmentInfo> segs = new ArrayList<>();
        for (long n = 2; n <= 9; n++) {
            if (n != 6 && n != 7) {
                segs.add(n == 4 ? seg(1, n, new RestorePoint("before upgrade", T0.plusSeconds(230), new Lsn(4 * SEG + 500), 1)) : seg(1, n));
            }
        }
        segs.add(seg(2, 5));
        segs.add(seg(2, 6));
        TimelineHistory h = TimelineHistory.of(Map.of(2, "1\t0/5000100\tno recovery target specified\n"), Set.of(1, 2));
        List<BackupRecord> backups = List.of(backup("backup_a", 3), backup("backup_b", 8));
        return TimelineData.of(RecoveryWindows.compute(backups, WalArchiveIndex.of(SEG, segs, h), abandoned), backups);
    }

    @Test
    void aLaneOfATimelineAbandonedByARollbackSaysSoAndStillShowsItsRanges() {
        TimelineData d = data(AbandonedTimelines.of(List.of(new AbandonedTimeline(2, 1, "0/5000100", 1, T0.plusSeconds(600),
                "restore_20261125_101000_123", "backup_a", "latest on timeline 1", "/data"))));

        assertThat(d.lane(1).orElseThrow().label()).isEqualTo("timeline 1");
        assertThat(d.lane(2).orElseThrow().label()).isEqualTo("timeline 2 (abandoned)");
        assertThat(d.lane(2).orElseThrow().restorable().size()).isPositive();
        assertThat(data().lane(2).orElseThrow().label()).isEqualTo("timeline 2");
    }

    @Test
    void oneLanePerTimelineWithWhereTheChildForked() {
        TimelineData d = data();

        assertThat(d.lanes()).extracting(TimelineData.Lane::timeline).containsExactly(1, 2);
        TimelineData.Lane child = d.lane(2).orElseThrow();
        assertThat(child.parent()).hasValue(1);
        assertThat(child.branchLsn()).contains(Lsn.parse("0/5000100"));
        assertThat(child.branchTime()).contains(min(4.5));
        assertThat(d.from()).isEqualTo(min(1.5));
        assertThat(d.to()).isEqualTo(min(9));
    }

    @Test
    void coverageRunsUnbrokenAcrossPresentSegmentsAndBreaksAtTheGap() {
        TimelineData.Lane main = data().lane(1).orElseThrow();

        // one bar per segment, touching; joined when drawn at a millisecond per pixel
        assertThat(main.coverage().size()).isEqualTo(6);
        SpanSeries runs = main.coverage().atResolution(1000);
        assertThat(runs.size()).isEqualTo(2);
        assertThat(runs.from(0)).isEqualTo(min(1.5));
        assertThat(runs.to(0)).isEqualTo(min(5));
        assertThat(runs.from(1)).isEqualTo(min(7.5));
        assertThat(main.gaps()).singleElement().satisfies(g -> {
            assertThat(g.from()).isEqualTo(min(5));
            assertThat(g.to()).isEqualTo(min(7.5));
            assertThat(g.gap().missing()).hasSize(2);
        });
        assertThat(main.segmentAt(min(3.5), 0)).hasValueSatisfying(s -> assertThat(s.name()).isEqualTo(new WalSegmentName(1, 4, SEG)));
        assertThat(main.restorePoints().all()).extracting(RestorePoint::name).containsExactly("before upgrade");
    }

    @Test
    void backupsAreMarkedAtTheirStopAndRestorableRangesSnapWithinTolerance() {
        TimelineData.Lane main = data().lane(1).orElseThrow();

        assertThat(main.backups().all()).extracting(TimelineData.BackupMark::id).containsExactly("backup_a", "backup_b");
        assertThat(main.backups().key(0)).isEqualTo(min(2 + 20 / 60.0));
        assertThat(main.backups().all()).allMatch(TimelineData.BackupMark::restorable);
        // backup_a: from its stop (+1 s, whole-second stop time) to the last commit before the gap
        assertThat(main.restorable().covers(min(4))).isTrue();
        assertThat(main.restorable().covers(min(6))).isFalse();
        assertThat(main.snap(min(4), 0)).contains(min(4));
        // past the end it snaps to the last restorable moment: just before the last transaction
        assertThat(main.snap(min(5) + 1_000_000, 2_000_000)).contains(min(5) - 1);
        assertThat(main.restorable().covers(min(5))).isFalse();
        assertThat(main.snap(min(6), 2_000_000)).isEmpty();
    }
}

package io.pitrconsole.recovery.window;

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
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** Window arithmetic over segment summaries as the reader reports them. */
class RecoveryWindowsTest {
    private static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    /** Segment n of a timeline whose last transaction is at T0 + n minutes (+ micros). */
    private static SegmentInfo seg(int tli, long n) {
        return seg(tli, n, Optional.of(T0.plusSeconds(60 * n).plusNanos(123_456_000L)), true, Optional.empty());
    }

    private static SegmentInfo seg(int tli, long n, Optional<Instant> last, boolean complete, Optional<String> damage) {
        WalSegmentName name = new WalSegmentName(tli, n, SEG);
        long start = n * SEG;
        return new SegmentInfo(name, Path.of(name.toString()), SEG, new Lsn(start + 40), new Lsn(start + SEG - 100),
                last.map(t -> t.minusSeconds(30)), last, List.<RestorePoint>of(), complete, damage);
    }

    private static BackupRecord backup(String id, int tli, long startSeg, long stopSeg, Instant stop) {
        return new BackupRecord(1, id, id, BackupStatus.COMPLETE, stop.minusSeconds(20), stop, "backup-history-file",
                new Lsn(startSeg * SEG + 0x28), new Lsn(stopSeg * SEG + 0x100), new Lsn(startSeg * SEG + 0x60), tli, "15",
                "1", SEG, null, 0, 0, "localhost", 5432, List.of(), List.of(), 1.0, null, null, null);
    }

    private static List<SegmentInfo> range(int tli, long from, long to) {
        List<SegmentInfo> l = new ArrayList<>();
        for (long n = from; n <= to; n++) {
            l.add(seg(tli, n));
        }
        return l;
    }

    private static WalArchiveIndex index(List<SegmentInfo> segs, TimelineHistory h) {
        return WalArchiveIndex.of(SEG, segs, h);
    }

    @Test
    void windowRunsFromStopTimeToLastTransactionOfTheUnbrokenChain() {
        Instant stop = T0.plusSeconds(60 * 3 + 5);
        RecoveryWindows w = RecoveryWindows.compute(List.of(backup("backup_20261125_100000", 1, 3, 3, stop)),
                index(range(1, 2, 9), TimelineHistory.empty()));

        assertThat(w.windows()).singleElement().satisfies(r -> {
            assertThat(r.timeline()).isEqualTo(1);
            assertThat(r.from()).isEqualTo(stop.plusSeconds(1));
            assertThat(r.to()).isEqualTo(T0.plusSeconds(60 * 9).plusNanos(123_456_000L));
            assertThat(r.fromLsn()).isEqualTo(new Lsn(3 * SEG + 0x100));
            assertThat(r.toLsn()).isEqualTo(new Lsn(10 * SEG - 100));
            assertThat(r.endedByGap()).isEmpty();
        });
    }

    @Test
    void missingSegmentEndsTheWindowAndNamesTheGap() {
        List<SegmentInfo> segs = new ArrayList<>(range(1, 3, 5));
        segs.addAll(range(1, 8, 9));
        RecoveryWindows w = RecoveryWindows.compute(List.of(backup("backup_20261125_100000", 1, 3, 3, T0.plusSeconds(200))),
                index(segs, TimelineHistory.empty()));

        RecoveryWindow r = w.windows().get(0);
        assertThat(r.to()).isEqualTo(T0.plusSeconds(300).plusNanos(123_456_000L));
        assertThat(r.endedByGap()).hasValueSatisfying(g -> {
            assertThat(g.after()).isEqualTo(new WalSegmentName(1, 5, SEG));
            assertThat(g.missing()).containsExactly(new WalSegmentName(1, 6, SEG), new WalSegmentName(1, 7, SEG));
        });
        assertThat(w.gaps()).hasSize(1);
    }

    @Test
    void backupWithoutWalUpToItsStopHasNoWindow() {
        List<SegmentInfo> segs = new ArrayList<>(range(1, 3, 3));
        segs.addAll(range(1, 5, 6));
        RecoveryWindows w = RecoveryWindows.compute(List.of(backup("backup_20261125_100000", 1, 3, 4, T0.plusSeconds(250))),
                index(segs, TimelineHistory.empty()));

        assertThat(w.windows()).isEmpty();
        assertThat(w.unrestorable()).singleElement().satisfies(u -> assertThat(u.reason()).contains("lacks WAL"));
    }

    @Test
    void damagedSegmentCountsUpToTheDamageThenEndsTheChain() {
        List<SegmentInfo> segs = new ArrayList<>(range(1, 3, 4));
        segs.add(seg(1, 5, Optional.of(T0.plusSeconds(290)), false, Optional.of("CRC mismatch at 0/5001000")));
        segs.addAll(range(1, 6, 7));
        RecoveryWindows w = RecoveryWindows.compute(List.of(backup("backup_20261125_100000", 1, 3, 3, T0.plusSeconds(200))),
                index(segs, TimelineHistory.empty()));

        assertThat(w.windows().get(0).to()).isEqualTo(T0.plusSeconds(290));
        assertThat(w.windows().get(0).endedByGap()).isEmpty();
    }

    @Test
    void promotedTimelineContinuesFromItsBranchPoint() {
        List<SegmentInfo> segs = new ArrayList<>(range(1, 3, 9));
        segs.addAll(range(2, 6, 7));
        TimelineHistory h = TimelineHistory.of(Map.of(2, "1\t0/6000500\tno recovery target specified\n"), List.of(1, 2));
        RecoveryWindows w = RecoveryWindows.compute(List.of(backup("backup_20261125_100000", 1, 3, 3, T0.plusSeconds(200))),
                index(segs, h));

        assertThat(w.windows()).extracting(RecoveryWindow::timeline).containsExactlyInAnyOrder(1, 2);
        RecoveryWindow child = w.windows().stream().filter(r -> r.timeline() == 2).findFirst().orElseThrow();
        assertThat(child.to()).isEqualTo(T0.plusSeconds(60 * 7).plusNanos(123_456_000L));
        assertThat(child.from()).isEqualTo(T0.plusSeconds(201));
        assertThat(w.covering(T0.plusSeconds(60 * 8), OptionalInt.of(2))).isEmpty();
        assertThat(w.covering(T0.plusSeconds(60 * 8), OptionalInt.of(1))).isPresent();
    }

    @Test
    void backupTakenAfterTheBranchCannotFollowIt() {
        List<SegmentInfo> segs = new ArrayList<>(range(1, 3, 9));
        segs.addAll(range(2, 4, 7));
        TimelineHistory h = TimelineHistory.of(Map.of(2, "1\t0/4000500\tx\n"), List.of(1, 2));
        RecoveryWindows w = RecoveryWindows.compute(List.of(backup("backup_20261125_100500", 1, 5, 5, T0.plusSeconds(320))),
                index(segs, h));

        assertThat(w.windows()).extracting(RecoveryWindow::timeline).containsExactly(1);
    }

    @Test
    void mergedWindowsJoinOverlapsAndNameTheNewestBackup() {
        List<SegmentInfo> segs = new ArrayList<>(range(1, 2, 5));
        segs.addAll(range(1, 7, 12));
        var older = backup("backup_20261125_100000", 1, 2, 2, T0.plusSeconds(130));
        var newer = backup("backup_20261125_100400", 1, 4, 4, T0.plusSeconds(250));
        var newest = backup("backup_20261125_100800", 1, 8, 8, T0.plusSeconds(490));
        RecoveryWindows w = RecoveryWindows.compute(List.of(newest, older, newer), index(segs, TimelineHistory.empty()));

        assertThat(w.windows()).hasSize(3);
        assertThat(w.merged()).hasSize(2);
        RecoveryWindow first = w.merged().get(0);
        assertThat(first.backupId()).isEqualTo("backup_20261125_100400");
        assertThat(first.from()).isEqualTo(T0.plusSeconds(131));
        assertThat(first.to()).isEqualTo(T0.plusSeconds(300).plusNanos(123_456_000L));
        assertThat(first.endedByGap()).isPresent();
        // the merged range starts at the older backup's stop, so its label names both
        assertThat(w.backupsOf(first)).containsExactly("backup_20261125_100000", "backup_20261125_100400");
        assertThat(w.label(first)).isEqualTo("backups backup_20261125_100000..backup_20261125_100400");
        assertThat(w.label(w.merged().get(1))).isEqualTo("backup_20261125_100800");

        Instant inHole = T0.plusSeconds(400);
        assertThat(w.covering(inHole, OptionalInt.empty())).isEmpty();
        assertThat(w.nearestRestorable(inHole)).containsExactly(first.lastReachable(), T0.plusSeconds(491));
        Instant both = T0.plusSeconds(280);
        assertThat(w.covering(both, OptionalInt.empty())).hasValueSatisfying(r -> assertThat(r.backupId()).isEqualTo("backup_20261125_100400"));
        assertThat(w.nearestRestorable(both)).containsExactly(both);
    }

    @Test
    void stopTimeKnownOnlyToTheSecondStartsTheWindowAtTheNextSecond() {
        assertThat(RecoveryWindows.earliestTarget(Instant.parse("2026-11-25T10:00:07Z"))).isEqualTo(Instant.parse("2026-11-25T10:00:08Z"));
        assertThat(RecoveryWindows.earliestTarget(Instant.parse("2026-11-25T10:00:07.250Z"))).isEqualTo(Instant.parse("2026-11-25T10:00:07.250Z"));
    }

    @Test
    void failedAndRunningBackupsGetNoWindow() {
        var b = backup("backup_20261125_100000", 1, 3, 3, T0.plusSeconds(200)).withStatus(BackupStatus.FAILED, "x");
        RecoveryWindows w = RecoveryWindows.compute(List.of(b), index(range(1, 3, 5), TimelineHistory.empty()));
        assertThat(w.windows()).isEmpty();
        assertThat(w.unrestorable()).isEmpty();
    }
}

package io.pitrconsole.ui.timeline;

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
import java.util.Optional;

/**
 * A small archive for the view tests: timeline 1, segments 2..12 with 7 and 8 missing; segment n
 * holds commits from T0 + n min - 30 s to T0 + n min; a restore point at T0 + 3 min 50 s; backups
 * stopping at T0 + 2 min 20 s and T0 + 9 min 20 s. Restorable: [2:21, 6:00] and [9:21, 12:00].
 */
final class Synthetic {
    static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    private Synthetic() {
    }

    static Instant at(double minutes) {
        return T0.plusNanos((long) (minutes * 60e9));
    }

    static TimelineViewModel.Loaded loaded() {
        List<SegmentInfo> segs = new ArrayList<>();
        for (long n = 2; n <= 12; n++) {
            if (n == 7 || n == 8) {
                continue;
            }
            WalSegmentName name = new WalSegmentName(1, n, SEG);
            Instant last = T0.plusSeconds(60 * n);
            List<RestorePoint> rp = n == 4 ? List.of(new RestorePoint("before_upgrade", at(3 + 50 / 60.0), new Lsn(4 * SEG + 500), 1))
                    : List.of();
            segs.add(new SegmentInfo(name, Path.of(name.toString()), 1000 * n, new Lsn(n * SEG + 40), new Lsn(n * SEG + SEG - 100),
                    Optional.of(last.minusSeconds(30)), Optional.of(last), rp, true, Optional.empty()));
        }
        List<BackupRecord> backups = List.of(backup("backup_a", 2), backup("backup_b", 9));
        RecoveryWindows w = RecoveryWindows.compute(backups, WalArchiveIndex.of(SEG, segs, TimelineHistory.empty()));
        return new TimelineViewModel.Loaded(TimelineData.of(w, backups), w, backups);
    }

    private static BackupRecord backup(String id, long startSeg) {
        return new BackupRecord(1, id, id, BackupStatus.COMPLETE, T0.plusSeconds(60 * startSeg + 10), T0.plusSeconds(60 * startSeg + 20),
                "backup-history-file", new Lsn(startSeg * SEG + 0x28), new Lsn(startSeg * SEG + 0x100), null, 1, "15", "1", SEG, null,
                0, 0, "localhost", 5432, List.of(), List.of(), 1.0, null, null, null);
    }
}

package io.pitrconsole.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.target.TargetRefusedException;
import io.pitrconsole.recovery.target.WindowTargetValidator;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.wal.RestorePoint;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.TimelineHistory;
import io.pitrconsole.wal.WalArchiveIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Refused time targets carry the nearest moments that plan, so the wizard can offer them. */
class TargetSuggestionsTest {
    private static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");

    @TempDir
    Path archive;

    private static SegmentInfo seg(long n) {
        WalSegmentName name = new WalSegmentName(1, n, SEG);
        Instant last = T0.plusSeconds(60 * n).plusNanos(123_456_000L);
        return new SegmentInfo(name, Path.of(name.toString()), SEG, new Lsn(n * SEG + 40), new Lsn(n * SEG + SEG - 100),
                Optional.of(last.minusSeconds(30)), Optional.of(last), List.<RestorePoint>of(), true, Optional.empty());
    }

    private static BackupRecord backup(String id, long seg, Instant stop) {
        return new BackupRecord(1, id, id, BackupStatus.COMPLETE, stop.minusSeconds(20), stop, "backup-history-file",
                new Lsn(seg * SEG + 0x28), new Lsn(seg * SEG + 0x100), new Lsn(seg * SEG + 0x60), 1, "15",
                "1", SEG, null, 0, 0, "localhost", 5432, List.of(), List.of(), 1.0, null, null, null);
    }

    @Test
    void aTargetInAGapSuggestsTheLastMomentBeforeItAndTheStartOfTheNextWindowAndBothPlan() {
        List<SegmentInfo> segs = new ArrayList<>();
        for (long n : new long[] {3, 4, 5, 8, 9, 10, 11, 12}) {
            segs.add(seg(n));
        }
        BackupRecord a = backup("backup_20261125_100300", 3, T0.plusSeconds(185));
        BackupRecord b = backup("backup_20261125_100900", 9, T0.plusSeconds(545));
        List<BackupRecord> usable = List.of(b, a);
        RecoveryWindows windows = RecoveryWindows.compute(usable, WalArchiveIndex.of(SEG, segs, TimelineHistory.empty()));
        WindowTargetValidator validator = new WindowTargetValidator(LocalDirectoryRepository.at(archive), windows);

        TargetRefusedException e = catchThrowableOfType(
                () -> validator.choose(RecoveryTarget.time(T0.plusSeconds(390).atOffset(ZoneOffset.UTC)), usable),
                TargetRefusedException.class);

        assertThat(e.getMessage()).contains("lies in a gap of the WAL archive");
        Instant lastOfA = T0.plusSeconds(300).plusNanos(123_456_000L);
        assertThat(e.suggestions()).containsExactly(lastOfA.minusNanos(1000), T0.plusSeconds(546));
        java.time.format.DateTimeFormatter exact = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");
        assertThat(e.hint()).startsWith("nearest restorable moments: " + exact.format(lastOfA.minusNanos(1000).atZone(java.time.ZoneId.systemDefault()))
                + " and " + exact.format(T0.plusSeconds(546).atZone(java.time.ZoneId.systemDefault())));
        for (Instant s : e.suggestions()) {
            assertThat(validator.choose(RecoveryTarget.time(s.atOffset(ZoneOffset.UTC)), usable).backup()).isNotNull();
        }
    }

    @Test
    void aTargetAtOrBeyondTheLastTransactionSuggestsOnlyTheMomentBeforeIt() {
        List<SegmentInfo> segs = new ArrayList<>();
        for (long n = 3; n <= 6; n++) {
            segs.add(seg(n));
        }
        BackupRecord a = backup("backup_20261125_100300", 3, T0.plusSeconds(185));
        RecoveryWindows windows = RecoveryWindows.compute(List.of(a), WalArchiveIndex.of(SEG, segs, TimelineHistory.empty()));
        WindowTargetValidator validator = new WindowTargetValidator(LocalDirectoryRepository.at(archive), windows);
        Instant last = T0.plusSeconds(360).plusNanos(123_456_000L);

        TargetRefusedException atEnd = catchThrowableOfType(
                () -> validator.choose(RecoveryTarget.time(last.atOffset(ZoneOffset.UTC)), List.of(a)), TargetRefusedException.class);
        TargetRefusedException before = catchThrowableOfType(
                () -> validator.choose(RecoveryTarget.time(T0.atOffset(ZoneOffset.UTC)), List.of(a)), TargetRefusedException.class);

        assertThat(atEnd.getMessage()).contains("beyond the archived WAL");
        assertThat(atEnd.suggestions()).containsExactly(last.minusNanos(1000));
        assertThat(before.getMessage()).contains("before the first usable backup");
        assertThat(before.suggestions()).containsExactly(T0.plusSeconds(186));
    }
}

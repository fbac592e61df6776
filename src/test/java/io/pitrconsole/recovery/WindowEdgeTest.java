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
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.TimelineHistory;
import io.pitrconsole.wal.WalArchiveIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a recovery window begins and ends for a time target, said once by the window: from the
 * backup's stop (included) to the last archived transaction (excluded; PostgreSQL stops at a time
 * target only on reading a later commit). The planner, the wizard's window check and the nearest
 * restorable moments all follow it.
 */
class WindowEdgeTest {
    private static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final BackupRecord BACKUP = new BackupRecord(1, "backup_20261125_100300", "b", BackupStatus.COMPLETE,
            T0.plusSeconds(165), T0.plusSeconds(185), "backup-history-file", new Lsn(3 * SEG + 0x28), new Lsn(3 * SEG + 0x100),
            new Lsn(3 * SEG + 0x60), 1, "15", "1", SEG, null, 0, 0, "localhost", 5432, List.of(), List.of(), 1.0, null, null, null);
    private static final Instant MICRO = Instant.ofEpochSecond(0, 1000);

    @TempDir
    Path archive;

    private static SegmentInfo seg(long n) {
        WalSegmentName name = new WalSegmentName(1, n, SEG);
        Instant last = T0.plusSeconds(60 * n).plusNanos(123_456_000L);
        return new SegmentInfo(name, Path.of(name.toString()), SEG, new Lsn(n * SEG + 40), new Lsn(n * SEG + SEG - 100),
                Optional.of(last.minusSeconds(30)), Optional.of(last), List.of(), true, Optional.empty());
    }

    private static RecoveryWindows windows() {
        return RecoveryWindows.compute(List.of(BACKUP), WalArchiveIndex.of(SEG, LongStream.rangeClosed(3, 5).mapToObj(WindowEdgeTest::seg).toList(),
                TimelineHistory.empty()));
    }

    private static RecoveryTarget time(Instant t) {
        return RecoveryTarget.time(t.atOffset(ZoneOffset.UTC));
    }

    private static Instant before(Instant t) {
        return t.minusNanos(MICRO.getNano());
    }

    @Test
    void aWindowReachesFromItsStartIncludedToItsLastTransactionExcluded() {
        RecoveryWindow w = windows().windows().get(0);
        // the stop time is known to the second only: the window starts at the next whole one
        assertThat(w.from()).isEqualTo(T0.plusSeconds(186));
        assertThat(w.to()).isEqualTo(T0.plusSeconds(300).plusNanos(123_456_000L));

        assertThat(w.reaches(before(w.from()))).isFalse();
        assertThat(w.reaches(w.from())).isTrue();
        assertThat(w.reaches(w.lastReachable())).isTrue();
        assertThat(w.lastReachable()).isEqualTo(before(w.to()));
        assertThat(w.reaches(w.to())).isFalse();
        assertThat(w.reaches(w.to().plusSeconds(1))).isFalse();
    }

    @Test
    void aWindowWithNoTransactionAfterItsStartReachesNothing() {
        RecoveryWindow w = new RecoveryWindow("b", 1, T0, T0, new Lsn(SEG), new Lsn(SEG + 100), Optional.empty());
        assertThat(w.reaches(T0)).isFalse();
    }

    @Test
    void thePlannerTheWizardsCheckAndTheNearestMomentsAgreeAtBothEdges() {
        RecoveryWindows windows = windows();
        RecoveryWindow w = windows.windows().get(0);
        WindowTargetValidator validator = new WindowTargetValidator(io.pitrconsole.repository.local.LocalDirectoryRepository.at(archive), windows);

        for (Instant inside : List.of(w.from(), w.lastReachable())) {
            assertThat(validator.choose(time(inside), List.of(BACKUP)).backup().id()).isEqualTo(BACKUP.id());
            assertThat(windows.reaching(inside, OptionalInt.empty())).contains(w);
            assertThat(windows.nearestRestorable(inside)).containsExactly(inside);
        }
        for (Instant outside : List.of(before(w.from()), w.to())) {
            TargetRefusedException refused = catchThrowableOfType(() -> validator.choose(time(outside), List.of(BACKUP)),
                    TargetRefusedException.class);
            assertThat(refused).as("planned " + outside).isNotNull();
            assertThat(windows.reaching(outside, OptionalInt.empty())).isEmpty();
            // what the wizard names as nearest is what the refusal offers
            assertThat(windows.nearestRestorable(outside)).isEqualTo(refused.suggestions());
        }
        assertThat(windows.nearestRestorable(w.to())).containsExactly(w.lastReachable());
    }
}

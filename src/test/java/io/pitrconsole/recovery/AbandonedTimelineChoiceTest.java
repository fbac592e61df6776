package io.pitrconsole.recovery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.pitrconsole.archive.AbandonedTimeline;
import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.target.TargetRefusedException;
import io.pitrconsole.recovery.target.TargetValidator;
import io.pitrconsole.recovery.target.WindowTargetValidator;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.wal.RestorePoint;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.TimelineHistory;
import io.pitrconsole.wal.WalArchiveIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Timeline 2 was created by an in-place restore and abandoned by its rollback; it reaches further
 * than anything else. Timeline 1 went on until a later restore made timeline 3 from it.
 */
class AbandonedTimelineChoiceTest {
    private static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    private static final String ROLLED_BACK = "restore_20261125_100630_123";

    @TempDir
    Path archive;

    private static SegmentInfo seg(int tli, long n, RestorePoint... points) {
        WalSegmentName name = new WalSegmentName(tli, n, SEG);
        Instant last = T0.plusSeconds(60 * n).plusNanos(123_456_000L);
        return new SegmentInfo(name, Path.of(name.toString()), SEG, new Lsn(n * SEG + 40), new Lsn(n * SEG + SEG - 100),
                Optional.of(last.minusSeconds(30)), Optional.of(last), List.of(points), true, Optional.empty());
    }

    private static BackupRecord backup(String id, int tli, long seg, Instant stop) {
        return new BackupRecord(1, id, id, BackupStatus.COMPLETE, stop.minusSeconds(20), stop, "backup-history-file",
                new Lsn(seg * SEG + 0x28), new Lsn(seg * SEG + 0x100), new Lsn(seg * SEG + 0x60), tli, "15",
                "1", SEG, null, 0, 0, "localhost", 5432, List.of(), List.of(), 1.0, null, null, null);
    }

    static final BackupRecord ON_ONE = backup("backup_20261125_100300", 1, 3, T0.plusSeconds(185));
    static final BackupRecord ON_TWO = backup("backup_20261125_101100", 2, 11, T0.plusSeconds(665));
    static final List<BackupRecord> USABLE = List.of(ON_TWO, ON_ONE);

    private static WalArchiveIndex index() {
        List<SegmentInfo> segs = new ArrayList<>();
        for (long n = 3; n <= 9; n++) {
            segs.add(seg(1, n));
        }
        for (long n = 6; n <= 14; n++) {
            segs.add(n == 12 ? seg(2, n, new RestorePoint("only_on_two", T0.plusSeconds(60 * 12), new Lsn(12 * SEG + 4000), 2)) : seg(2, n));
        }
        for (long n = 8; n <= 12; n++) {
            segs.add(seg(3, n));
        }
        TimelineHistory h = TimelineHistory.of(Map.of(2, "1\t0/6000500\tno recovery target specified\n",
                3, "1\t0/8000500\tbefore 2026-11-25 10:08:00+00\n"), List.of(1, 2, 3));
        return WalArchiveIndex.of(SEG, segs, h);
    }

    private static RecoveryWindows windows(AbandonedTimelines abandoned) {
        return RecoveryWindows.compute(USABLE, index(), abandoned);
    }

    private static AbandonedTimelines twoAbandoned() {
        return AbandonedTimelines.of(List.of(new AbandonedTimeline(2, 1, "0/6000500", 1, T0.plusSeconds(400), ROLLED_BACK,
                ON_ONE.id(), "time 2026-11-25 10:05:00+00:00 (inclusive) on timeline 1", "/var/lib/postgresql/15/main")));
    }

    private WindowTargetValidator validator(AbandonedTimelines abandoned) {
        return new WindowTargetValidator(LocalDirectoryRepository.at(archive), windows(abandoned));
    }

    private static RecoveryTarget at(long seconds) {
        return RecoveryTarget.time(OffsetDateTime.ofInstant(T0.plusSeconds(seconds), ZoneOffset.UTC));
    }

    @Test
    void withoutTheRecordTheFurthestReachingTimelineWins() {
        assertThat(validator(AbandonedTimelines.none()).choose(RecoveryTarget.latest(), USABLE).timeline()).isEqualTo(2);
    }

    @Test
    void latestFollowsTheLiveTimelinesAndADescendantOfALiveOneCounts() {
        TargetValidator.Choice c = validator(twoAbandoned()).choose(RecoveryTarget.latest(), USABLE);

        assertThat(c.timeline()).isEqualTo(3);
        assertThat(c.backup().id()).isEqualTo(ON_ONE.id());
        assertThat(c.warningLines()).isEmpty();
        assertThat(c.noteLines()).anyMatch(n -> n.contains("not following timeline 2 (abandoned by rolling back " + ROLLED_BACK + ")"));
    }

    @Test
    void theNoteNotFollowingAnAbandonedTimelineNamesTheFlagOnTheCommandLineAndTheTargetStepInTheConsole() {
        TargetValidator.Choice c = validator(twoAbandoned()).choose(RecoveryTarget.latest(), USABLE);

        String commandLine = "not following timeline 2 (abandoned by rolling back " + ROLLED_BACK + ") (pass --timeline to follow one)";
        assertThat(c.noteLines()).contains(commandLine);
        assertThat(c.consoleWords()).containsEntry(commandLine,
                "not following timeline 2 (abandoned by rolling back " + ROLLED_BACK + ") (type its number as the Timeline on the Target step"
                        + " to follow one)");
        assertThat(c.consoleWords().values()).noneMatch(w -> w.contains("--"));
    }

    @Test
    void anLsnOnBothTimelinesAfterTheForkFollowsTheLiveOne() {
        Lsn inSeven = new Lsn(7 * SEG + 8000);
        assertThat(validator(AbandonedTimelines.none()).choose(RecoveryTarget.lsn(inSeven.toString()), USABLE).timeline()).isEqualTo(2);

        assertThat(validator(twoAbandoned()).choose(RecoveryTarget.lsn(inSeven.toString()), USABLE).timeline()).isEqualTo(1);
    }

    @Test
    void aTimeOnlyTheAbandonedTimelineReachesIsRefusedNamingIt() {
        TargetRefusedException e = catchThrowableOfType(() -> validator(twoAbandoned()).choose(at(13 * 60), USABLE),
                TargetRefusedException.class);

        assertThat(e.getMessage()).contains("beyond the archived WAL");
        assertThat(e.hint()).contains("timeline 2 (abandoned by rolling back " + ROLLED_BACK + ") reaches it: pass --timeline 2");
        assertThat(e.suggestions()).allSatisfy(s -> assertThat(s).isBefore(T0.plusSeconds(12 * 60 + 1)));
    }

    @Test
    void theAbandonedTimelineNamedByNumberIsFollowedWithAWarning() {
        TargetValidator.Choice c = validator(twoAbandoned()).choose(at(13 * 60).onTimeline(2), USABLE);

        assertThat(c.timeline()).isEqualTo(2);
        assertThat(c.warningLines()).singleElement().satisfies(w -> assertThat(w).startsWith("timeline 2 (branched from 1 at 0/6000500)")
                .contains(ROLLED_BACK).contains("asked for by number"));
        assertThat(c.noteLines()).noneMatch(n -> n.contains("not following"));
    }

    @Test
    void aBackupTakenOnTheAbandonedTimelineIsOnlyUsedWhenTheTimelineIsNamed() {
        WindowTargetValidator v = validator(twoAbandoned());

        assertThatThrownBy(() -> v.checkWithBackup(RecoveryTarget.latest(), ON_TWO, USABLE)).isInstanceOf(PitrException.class)
                .hasMessageContaining("no backup " + ON_TWO.id() + " can be recovered along a live timeline")
                .satisfies(e -> assertThat(((PitrException) e).hint()).startsWith("pass --timeline 2"));
        assertThat(v.checkWithBackup(RecoveryTarget.latest().onTimeline(2), ON_TWO, USABLE).backup().id()).isEqualTo(ON_TWO.id());
    }

    @Test
    void aRestorePointOnlyOnTheAbandonedTimelineNeedsTheTimelineNamed() {
        WindowTargetValidator v = validator(twoAbandoned());

        assertThatThrownBy(() -> v.choose(RecoveryTarget.name("only_on_two"), USABLE)).isInstanceOf(PitrException.class)
                .hasMessageContaining("lies only on timeline 2")
                .satisfies(e -> assertThat(((PitrException) e).hint()).startsWith("pass --timeline 2"));
        assertThat(v.choose(RecoveryTarget.name("only_on_two").onTimeline(2), USABLE).timeline()).isEqualTo(2);
    }

    @Test
    void windowsCoverAndSuggestOnlyLiveTimelinesUnlessOneIsNamed() {
        RecoveryWindows w = windows(twoAbandoned());
        Instant t = T0.plusSeconds(13 * 60);

        assertThat(w.covering(t, OptionalInt.empty())).isEmpty();
        assertThat(w.covering(t, OptionalInt.of(2))).hasValueSatisfying(x -> assertThat(x.timeline()).isEqualTo(2));
        assertThat(w.nearestRestorable(t)).doesNotContain(t);
        assertThat(w.liveMerged()).extracting(RecoveryWindow::timeline).doesNotContain(2);
        assertThat(w.merged()).extracting(RecoveryWindow::timeline).contains(2);
        assertThat(w.windows()).anyMatch(x -> x.timeline() == 2);
    }
}

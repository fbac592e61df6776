package io.pitrconsole.recovery.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.AbandonedTimeline;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a rollback records, from the history files of the restored and the put-back data directories and of the archive. */
class AbandonedByRollbackTest {
    private static final Instant NOW = Instant.parse("2026-11-29T16:40:00Z");

    @TempDir
    Path tmp;

    private ArchiveLayout archive(Map<String, String> historyFiles) throws IOException {
        ArchiveLayout layout = new ArchiveLayout(tmp.resolve("archive"));
        Files.createDirectories(layout.walArchive());
        for (var e : historyFiles.entrySet()) {
            Files.writeString(layout.walArchive().resolve(e.getKey()), e.getValue());
        }
        return layout;
    }

    private Path dataDir(String name, Map<String, String> historyFiles) throws IOException {
        Path d = tmp.resolve(name);
        Files.createDirectories(d.resolve("pg_wal"));
        for (var e : historyFiles.entrySet()) {
            Files.writeString(d.resolve("pg_wal").resolve(e.getKey()), e.getValue());
        }
        return d;
    }

    private static RestoreReport report(Path data, Path aside, Integer restoredTimeline) {
        return new RestoreReport("restore_20261129_163000_111", RestoreReport.SUCCEEDED, RestoreMode.IN_PLACE, "backup_20261129_160000",
                "time 2026-11-29 16:30:00+00:00 (inclusive) on timeline 1", RecoveryTarget.latest().onTimeline(1), data.toString(), null,
                false, NOW.minusSeconds(600), NOW.minusSeconds(540), List.of(), null, restoredTimeline, List.of(), Map.of(), 10.0, 0, 0,
                "log", null, Map.of(data.toString(), aside.toString()), false, List.of(), null, null);
    }

    @Test
    void theRestoredTimelineAndWhatAlreadyBranchedFromItAreAbandonedButNotTheLiveOnes() throws IOException {
        String two = "1\t0/5000A0\tbefore 2026-11-29 16:30:00+00\n";
        ArchiveLayout layout = archive(Map.of("00000002.history", two,
                "00000003.history", "1\t0/9000000\tno recovery target specified\n",
                "00000004.history", "1\t0/5000A0\tbefore 2026-11-29 16:30:00+00\n2\t0/7000000\tno recovery target specified\n"));
        Path data = dataDir("main", Map.of("00000002.history", two));
        Path aside = dataDir("main.pitr-old-restore_20261129_163000_111", Map.of());

        List<AbandonedTimeline> out = AbandonedByRollback.of(report(data, aside, 2), LocalDirectoryRepository.at(layout.root()), NOW);

        assertThat(out).extracting(AbandonedTimeline::timeline).containsExactly(2, 4);
        assertThat(out.get(0)).isEqualTo(new AbandonedTimeline(2, 1, "0/5000A0", 1, NOW, "restore_20261129_163000_111",
                "backup_20261129_160000", "time 2026-11-29 16:30:00+00:00 (inclusive) on timeline 1", data.toString()));
        assertThat(out.get(1).parent()).isEqualTo(2);
    }

    @Test
    void theOldClustersOwnHistoryIsKeptWhenItWasOnALaterTimeline() throws IOException {
        String three = "1\t0/9000000\tno recovery target specified\n";
        String five = "1\t0/5000A0\tbefore 2026-11-29 16:30:00+00\n";
        ArchiveLayout layout = archive(Map.of("00000003.history", three));
        Path data = dataDir("main", Map.of("00000005.history", five));
        Path aside = dataDir("main.pitr-old-restore_20261129_163000_111", Map.of("00000003.history", three));

        List<AbandonedTimeline> out = AbandonedByRollback.of(report(data, aside, 5), LocalDirectoryRepository.at(layout.root()), NOW);

        assertThat(out).singleElement().satisfies(a -> {
            assertThat(a.timeline()).isEqualTo(5);
            assertThat(a.parent()).isEqualTo(1);
            assertThat(a.continuedOn()).isEqualTo(3);
        });
    }

    @Test
    void aRestoreThatNeverPromotedAbandonsNothing() throws IOException {
        ArchiveLayout layout = archive(Map.of());
        Path data = dataDir("main", Map.of());
        Path aside = dataDir("main.pitr-old-restore_20261129_163000_111", Map.of());

        assertThat(AbandonedByRollback.of(report(data, aside, 1), LocalDirectoryRepository.at(layout.root()), NOW)).isEmpty();
    }
}

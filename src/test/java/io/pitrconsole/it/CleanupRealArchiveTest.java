package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.schedule.CleanupPlan;
import io.pitrconsole.schedule.CleanupService;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Cleanup of an archive filled by a real server: three real backups and the WAL archived around them. */
class CleanupRealArchiveTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private BackupRecord backup(BackupService s) {
        return s.create(BackupRequest.defaults(pg.cluster().connection()).withHistoryWait(Duration.ofSeconds(15)),
                ProgressListener.NONE, Cancellation.none()).backup();
    }

    /**
     * Backups taken seconds apart all fall on today, where the policy keeps the newest only. The
     * test moves the older two back by days in their backup.json (start and stop time) so they
     * land in earlier days, as a scheduled archive would have them; their files stay real.
     */
    private static void age(ArchiveLayout layout, String id, Duration by) throws Exception {
        Path file = layout.backupJson(id);
        ObjectNode n = (ObjectNode) Json.mapper().readTree(file.toFile());
        n.put("startTime", Instant.parse(n.get("startTime").asText()).minus(by).toString());
        n.put("stopTime", Instant.parse(n.get("stopTime").asText()).minus(by).toString());
        Files.write(file, Json.mapper().writeValueAsBytes(n));
    }

    private List<String> walArchive() throws Exception {
        try (Stream<Path> s = Files.list(pg.cluster().walArchive())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void dryRunAndRealRunAgreeAndOnlyWalBeforeTheOldestKeptBackupGoes() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(pg.cluster().archiveDir());
        BackupService service = new BackupService(LocalDirectoryRepository.at(layout.root()), pg.cluster().pgContext());
        pg.cluster().sql("CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g");
        BackupRecord oldest = backup(service);
        pg.cluster().sql("INSERT INTO t SELECT g, 'x' FROM generate_series(1, 20000) g");
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
        BackupRecord middle = backup(service);
        assertThat(service.verify(middle.id(), ProgressListener.NONE, Cancellation.none()).ok()).isTrue();
        pg.cluster().sql("INSERT INTO t SELECT g, 'y' FROM generate_series(1, 20000) g");
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
        BackupRecord newest = backup(service);
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));
        age(layout, oldest.id(), Duration.ofDays(3));
        age(layout, middle.id(), Duration.ofDays(2));
        Files.writeString(layout.scheduleFile(), "{\"backup\": {\"enabled\": true, \"frequency\": \"daily\", \"time\": \"02:00\"},"
                + " \"cleanup\": {\"enabled\": true, \"frequency\": \"weekly\", \"day\": \"sunday\", \"time\": \"03:00\"},"
                + " \"retention\": {\"daily\": 1, \"weekly\": 0, \"monthly\": 0}, \"max_total_size_gb\": 100, \"alert_after_hours\": 24}");
        List<String> walBefore = walArchive();
        WalSegmentName middleStart = WalSegmentName.containing(middle.timeline(), middle.startLsn(), middle.walSegmentSize());

        CleanupPlan dry = new CleanupService(LocalDirectoryRepository.at(layout.root()), ZoneId.of("UTC")).plan();

        assertThat(dry.backups()).extracting(CleanupPlan.Removal::name).containsExactly(oldest.id());
        assertThat(dry.kept()).containsOnlyKeys(middle.id(), newest.id());
        assertThat(dry.wal()).isNotEmpty().allSatisfy(w -> assertThat(w.name().substring(0, 24)).isLessThan(middleStart.toString()));
        assertThat(walArchive()).isEqualTo(walBefore);

        CliRunner.Result run = CliRunner.run(Map.of(), "cleanup", "--yes", "--archive", layout.root().toString());
        assertThat(run.exit()).as(run.err()).isZero();

        for (CleanupPlan.Removal w : dry.wal()) {
            assertThat(run.out()).contains("removed wal    " + w.name());
        }
        assertThat(run.out()).contains("removed backup " + oldest.id())
                .contains("removed 1 backups and " + dry.wal().size() + " WAL files");
        assertThat(layout.backupDir(oldest.id())).doesNotExist();
        List<String> expectedLeft = walBefore.stream().filter(n -> dry.wal().stream().noneMatch(w -> w.name().equals(n))).toList();
        assertThat(walArchive()).isEqualTo(expectedLeft);
        assertThat(walArchive()).contains(middleStart.toString()).allSatisfy(n -> assertThat(n.substring(0, 24))
                .isGreaterThanOrEqualTo(middleStart.toString()));
        // what stays is still a restorable chain: the kept backups verify against the archive
        assertThat(service.verify(middle.id(), ProgressListener.NONE, Cancellation.none()).problems()).isEmpty();
        assertThat(service.verify(newest.id(), ProgressListener.NONE, Cancellation.none()).problems()).isEmpty();
        assertThat(Files.readString(layout.stateDir().resolve("cleanup.log"))).contains("removing backup " + oldest.id());
        assertThat(Files.readString(layout.legacyMetadata())).doesNotContain(oldest.id()).contains(middle.id());
    }
}

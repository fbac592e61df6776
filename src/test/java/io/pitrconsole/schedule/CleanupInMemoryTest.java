package io.pitrconsole.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.repository.InMemoryRepository;
import io.pitrconsole.repository.RepositoryDocument;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cleanup planning, the cleanup run and the backup parts of health run on a repository held in
 * memory: nothing above the repository interface needs a disk. (The WAL parts follow the WAL store.)
 */
class CleanupInMemoryTest {
    private static final long SEG = 16L * 1024 * 1024;

    @TempDir
    Path cache;

    private InMemoryRepository repository;
    private final Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(2));

    @BeforeEach
    void repository() {
        repository = new InMemoryRepository(cache);
    }

    private void backup(String id, BackupStatus status, long startSegment, Instant start, int bytes) throws Exception {
        repository.backups().putFile(id, "base.tar.zst", new byte[bytes]);
        BackupRecord r = BackupRecord.builder(id).status(status).startTime(start).stopTime(start.plusSeconds(30))
                .stopTimeSource("backup-history-file").startLsn(new Lsn(startSegment * SEG + 0x28))
                .stopLsn(new Lsn(startSegment * SEG + 0x138)).timeline(1).pgVersion("15.8").systemIdentifier("1")
                .walSegmentSize(SEG).compression(Compression.ZSTD).sizeBytes(bytes).originalSizeBytes(bytes * 3L)
                .host("localhost").port(5432).files(List.of("base.tar.zst"))
                .lastVerified(status == BackupStatus.VERIFIED ? start.plusSeconds(60) : null).build();
        repository.backups().writeRecord(id, Json.mapper().writeValueAsBytes(r));
    }

    private void schedule(int daily, double capGb) {
        repository.write(RepositoryDocument.SCHEDULE, ("{\"backup\": {\"enabled\": true, \"frequency\": \"daily\", \"time\": \"02:00\"},"
                + " \"cleanup\": {\"enabled\": true, \"frequency\": \"weekly\", \"day\": \"sunday\", \"time\": \"03:00\"},"
                + " \"retention\": {\"daily\": " + daily + ", \"weekly\": 0, \"monthly\": 0},"
                + " \"max_total_size_gb\": " + capGb + ", \"alert_after_hours\": 24}").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void retentionRemovesTheOldBackupsFromTheStoreAndKeepsTheNewestVerified() throws Exception {
        schedule(1, 0);
        backup("backup_20260101_020000", BackupStatus.VERIFIED, 0x05, today.minus(Duration.ofDays(60)), 1000);
        backup("backup_20260102_020000", BackupStatus.COMPLETE, 0x10, today.minus(Duration.ofDays(10)), 1000);
        backup("backup_20260103_020000", BackupStatus.COMPLETE, 0x20, today, 1000);
        repository.backups().add("backup_20260104_020000"); // no record: left alone, never removed

        CleanupService service = new CleanupService(repository, ZoneOffset.UTC);
        CleanupPlan plan = service.plan();
        assertThat(plan.backups()).extracting(CleanupPlan.Removal::name).containsExactly("backup_20260102_020000");
        assertThat(plan.kept()).containsKeys("backup_20260101_020000", "backup_20260103_020000");
        assertThat(plan.kept().get("backup_20260101_020000")).contains("newest verified");
        assertThat(plan.notes()).anyMatch(n -> n.startsWith("left alone: backup_20260104_020000"));

        service.run();
        assertThat(repository.backups().ids()).containsExactlyInAnyOrder("backup_20260101_020000", "backup_20260103_020000",
                "backup_20260104_020000");
        assertThat(new String(repository.read(RepositoryDocument.BACKUP_LIST).orElseThrow(), StandardCharsets.UTF_8))
                .contains("backup_20260103_020000").doesNotContain("backup_20260102_020000");
        assertThat(Files.readString(service.journal())).contains("removing backup backup_20260102_020000");
        assertThat(repository.holders()).as("the lock is let go").isEmpty();
    }

    @Test
    void theSizeCapCountsWhatTheStoreHoldsPerBackup() throws Exception {
        schedule(10, 4000.0 / (1024 * 1024 * 1024));
        backup("backup_20260101_020000", BackupStatus.COMPLETE, 0x05, today.minus(Duration.ofDays(2)), 1000);
        backup("backup_20260102_020000", BackupStatus.COMPLETE, 0x10, today.minus(Duration.ofDays(1)), 1000);
        backup("backup_20260103_020000", BackupStatus.COMPLETE, 0x20, today, 1000);

        CleanupPlan plan = new CleanupService(repository, ZoneOffset.UTC).plan();
        // each takes its 1000-byte file and its record (some 700 bytes): three are above 4000 bytes, two are not
        assertThat(plan.backups()).extracting(CleanupPlan.Removal::name).containsExactly("backup_20260101_020000");
        assertThat(plan.backups().get(0).reason()).startsWith("over the size cap");
    }

    @Test
    void healthReadsTheBackupsTheScheduleAndTheLockFromTheRepository() throws Exception {
        schedule(7, 0);
        backup("backup_20260103_020000", BackupStatus.COMPLETE, 0x20, today.minus(Duration.ofHours(1)), 1000);
        HealthService health = new HealthService(repository, Optional.empty(), Clock.fixed(today, ZoneOffset.UTC));

        HealthReport report = health.check();
        assertThat(HealthLevel.of(check(report, "newest backup").level())).isEqualTo(HealthLevel.OK);
        assertThat(check(report, "newest backup").detail()).startsWith("backup_20260103_020000 finished");
        assertThat(HealthLevel.of(check(report, "verification").level())).isNotEqualTo(HealthLevel.OK);
        assertThat(check(report, "archive lock").detail()).isEqualTo("free");

        try (var held = repository.lock(io.pitrconsole.repository.LockUse.BACKUP, "backup create")) {
            assertThat(check(health.check(), "archive lock").detail()).startsWith("held by backup create");
        }
    }

    @Test
    void healthWithoutAnyBackupIsCritical() {
        HealthReport report = new HealthService(repository, Optional.empty(), Clock.fixed(today, ZoneOffset.UTC)).check();
        assertThat(HealthLevel.of(check(report, "newest backup").level())).isEqualTo(HealthLevel.CRITICAL);
        assertThat(report.status()).isEqualTo(HealthLevel.CRITICAL);
    }

    private static io.pitrconsole.core.Finding check(HealthReport report, String name) {
        return report.checks().stream().filter(c -> c.check().equals(name)).findFirst().orElseThrow();
    }
}

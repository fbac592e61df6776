package io.pitrconsole.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.it.CliRunner;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cleanup decisions on a hand-built archive: backup directories with backup.json and WAL file
 * names on two timelines. Timeline branches and exact segment numbers are much easier to set up
 * by name than to provoke in a server; the real-cluster run is {@code CleanupRealArchiveTest}.
 */
class CleanupPlannerTest {
    private static final long SEG = 16L * 1024 * 1024;

    @TempDir
    Path tmp;

    private ArchiveLayout layout;
    private final Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(2));

    @BeforeEach
    void archive() throws Exception {
        layout = new ArchiveLayout(tmp.resolve("archive"));
        Files.createDirectories(layout.walArchive());
    }

    private void backup(String id, BackupStatus status, int tli, long startSegment, Instant start, int bytes) throws Exception {
        Files.createDirectories(layout.backupDir(id));
        Files.write(layout.backupDir(id).resolve("base.tar.zst"), new byte[bytes]);
        // plain write, not the catalog's fsynced one: 400 fsyncs would make this test slow for nothing
        Files.write(layout.backupJson(id), Json.mapper().writeValueAsBytes(new BackupRecord(1, id, id, status, start, start.plusSeconds(30), "backup-history-file",
                new Lsn(startSegment * SEG + 0x28), new Lsn(startSegment * SEG + 0x138), new Lsn(startSegment * SEG + 0x60), tli, "15.8", "1",
                SEG, Compression.ZSTD, bytes, bytes * 3L, "localhost", 5432, List.of(), List.of("base.tar.zst"), 30.0,
                status == BackupStatus.VERIFIED ? start.plusSeconds(60) : null, null, null)));
        wal(String.format("%08X%08X%08X.00000028.backup", tli, 0, startSegment));
    }

    private void wal(String name) throws Exception {
        Files.write(layout.walArchive().resolve(name), new byte[10]);
    }

    private void segments(int tli, int from, int to) throws Exception {
        for (int s = from; s <= to; s++) {
            wal(String.format("%08X%08X%08X", tli, 0, s));
        }
    }

    private void schedule(int daily, int weekly, int monthly, double capGb) throws Exception {
        Files.writeString(layout.scheduleFile(), "{\"backup\": {\"enabled\": true, \"frequency\": \"daily\", \"time\": \"02:00\"},"
                + " \"cleanup\": {\"enabled\": true, \"frequency\": \"weekly\", \"day\": \"sunday\", \"time\": \"03:00\"},"
                + " \"retention\": {\"daily\": " + daily + ", \"weekly\": " + weekly + ", \"monthly\": " + monthly + "},"
                + " \"max_total_size_gb\": " + capGb + ", \"alert_after_hours\": 24}");
    }

    /** A (tli 1, 60 days old), B (tli 1, 10 days old), C (tli 2 after a branch at segment 0x1E, today). */
    private void twoTimelines(BackupStatus bStatus) throws Exception {
        segments(1, 0x03, 0x22);
        segments(2, 0x1E, 0x24);
        wal("00000002.history");
        Files.writeString(layout.walArchive().resolve("00000002.history"), "1\t0/1E000000\tno recovery target specified\n");
        backup("backup_20260101_020000", BackupStatus.COMPLETE, 1, 0x05, today.minus(Duration.ofDays(60)), 1000);
        backup("backup_20260102_020000", bStatus, 1, 0x10, today.minus(Duration.ofDays(10)), 1000);
        backup("backup_20260103_020000", BackupStatus.COMPLETE, 2, 0x20, today, 1000);
    }

    private List<String> walLeft() throws Exception {
        try (Stream<Path> s = Files.list(layout.walArchive())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static List<String> names(List<CleanupPlan.Removal> r) {
        return r.stream().map(CleanupPlan.Removal::name).sorted().toList();
    }

    /**
     * restore_command serves 00000003.history from 00000003.history.gz, so a compressed history
     * file places its timeline as well as a plain one: WAL of a sibling timeline that no kept
     * backup can replay goes, instead of being kept for a timeline "nobody can place".
     */
    @Test
    void compressedHistoryFilePlacesItsTimeline() throws Exception {
        segments(2, 0x20, 0x21);
        Files.writeString(layout.walArchive().resolve("00000002.history"), "1\t0/1E000000\tno recovery target specified\n");
        try (var gz = new java.util.zip.GZIPOutputStream(Files.newOutputStream(layout.walArchive().resolve("00000003.history.gz")))) {
            gz.write("1\t0/18000000\tbefore 2\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        segments(3, 0x21, 0x21);
        backup("backup_20260103_020000", BackupStatus.COMPLETE, 2, 0x20, today, 1000);
        schedule(1, 0, 0, 0);

        CleanupPlan dry = new CleanupService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(layout.root()), ZoneOffset.UTC).plan();

        assertThat(names(dry.wal())).containsExactly("000000030000000000000021");
    }

    @Test
    void newestVerifiedBackupSurvivesThePolicyAndKeepsItsWalAndTheDescendantTimeline() throws Exception {
        twoTimelines(BackupStatus.VERIFIED);
        schedule(1, 0, 0, 0);
        CleanupService service = new CleanupService(LocalDirectoryRepository.at(layout.root()), ZoneOffset.UTC);

        CleanupPlan dry = service.plan();

        assertThat(names(dry.backups())).containsExactly("backup_20260101_020000");
        assertThat(dry.kept()).containsOnlyKeys("backup_20260102_020000", "backup_20260103_020000");
        assertThat(dry.kept().get("backup_20260102_020000")).containsExactly("newest verified");
        List<String> expectedWal = new ArrayList<>();
        for (int s = 0x03; s < 0x10; s++) {
            expectedWal.add(String.format("0000000100000000%08X", s));
        }
        expectedWal.add("000000010000000000000005.00000028.backup");
        assertThat(names(dry.wal())).containsExactlyInAnyOrderElementsOf(expectedWal);
        List<String> before = walLeft();

        CleanupPlan done = service.run();

        assertThat(names(done.backups())).isEqualTo(names(dry.backups()));
        assertThat(names(done.wal())).isEqualTo(names(dry.wal()));
        assertThat(done.bytesFreed()).isEqualTo(dry.bytesFreed()).isGreaterThan(1000);
        assertThat(layout.backupDir("backup_20260101_020000")).doesNotExist();
        assertThat(layout.backupDir("backup_20260102_020000")).isDirectory();
        assertThat(walLeft()).containsExactlyElementsOf(before.stream().filter(n -> !expectedWal.contains(n)).toList())
                .contains("00000002.history", "000000010000000000000010", "000000010000000000000022", "00000002000000000000001E");
        assertThat(layout.lockFile()).doesNotExist();
        List<String> journal = Files.readAllLines(service.journal());
        assertThat(journal).hasSize(1 + expectedWal.size()).anyMatch(l -> l.contains("removing backup backup_20260101_020000"))
                .anyMatch(l -> l.contains("removing wal 000000010000000000000003 10 bytes"));
        assertThat(new CleanupService(LocalDirectoryRepository.at(layout.root()), ZoneOffset.UTC).plan().isEmpty()).isTrue();
    }

    @Test
    void fourHundredDailyBackupsKeepExactlyThePolicysSetAndTheWalFromTheOldestKeptOn() throws Exception {
        // one backup a day at 02:00 UTC from 2025-10-22 to 2026-11-25, backup n starting in WAL segment n
        java.time.LocalDate last = java.time.LocalDate.of(2026, 11, 25);
        for (int n = 1; n <= 400; n++) {
            java.time.LocalDate d = last.minusDays(400 - n);
            backup("backup_" + d.toString().replace("-", "") + "_020000", BackupStatus.COMPLETE, 1, n,
                    d.atTime(2, 0).toInstant(ZoneOffset.UTC), 100);
        }
        segments(1, 1, 401);
        schedule(7, 4, 12, 0);
        CleanupService service = new CleanupService(LocalDirectoryRepository.at(layout.root()), ZoneOffset.UTC);

        CleanupPlan dry = service.plan();

        List<String> expectedKept = Stream.of("20261125", "20261124", "20261123", "20261122", "20261121", "20261120", "20261119",
                "20261115", "20261108", "20261031", "20260930", "20260831", "20260731", "20260630", "20260531", "20260430",
                "20260331", "20260228", "20260131", "20251231").map(d -> "backup_" + d + "_020000").sorted().toList();
        assertThat(dry.kept().keySet()).containsExactlyInAnyOrderElementsOf(expectedKept);
        assertThat(dry.backups()).hasSize(380);
        // 2025-12-31 is day 71 of the series, so segments (and .backup files) 1..70 go
        assertThat(dry.wal()).hasSize(2 * 70).allSatisfy(w ->
                assertThat(Long.parseLong(w.name().substring(16, 24), 16)).isBetween(1L, 70L));

        CleanupPlan done = service.run();

        assertThat(names(done.backups())).isEqualTo(names(dry.backups()));
        assertThat(names(done.wal())).isEqualTo(names(dry.wal()));
        try (Stream<Path> s = Files.list(layout.root())) {
            assertThat(s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("backup_2")).sorted().toList())
                    .isEqualTo(expectedKept);
        }
        assertThat(walLeft()).contains("000000010000000000000047", "000000010000000000000191").doesNotContain("000000010000000000000046");
    }

    @Test
    void walOfADeadTimelineGoesWhenOnlyTheNewTimelinesBackupIsKept() throws Exception {
        twoTimelines(BackupStatus.COMPLETE);
        schedule(1, 0, 0, 0);

        CleanupPlan dry = new CleanupService(LocalDirectoryRepository.at(layout.root()), ZoneOffset.UTC).plan();

        assertThat(dry.kept()).containsOnlyKeys("backup_20260103_020000");
        List<String> left = new ArrayList<>(walLeft());
        left.removeAll(names(dry.wal()));
        assertThat(left).containsExactly("00000002.history", "000000020000000000000020", "000000020000000000000020.00000028.backup",
                "000000020000000000000021", "000000020000000000000022", "000000020000000000000023", "000000020000000000000024");
    }

    @Test
    void walOfATimelineWithoutHistoryFileIsKept() throws Exception {
        twoTimelines(BackupStatus.COMPLETE);
        segments(3, 0x23, 0x25);
        schedule(1, 0, 0, 0);

        CleanupPlan dry = new CleanupService(LocalDirectoryRepository.at(layout.root()), ZoneOffset.UTC).plan();

        assertThat(names(dry.wal())).noneMatch(n -> n.startsWith("00000003"));
    }

    @Test
    void sizeCapRemovesOldestFirstButNeverTheProtectedOnes() throws Exception {
        twoTimelines(BackupStatus.VERIFIED);
        // each backup directory is ~101 kB; 250 kB fits two of them, not three
        Files.write(layout.backupDir("backup_20260101_020000").resolve("base.tar.zst"), new byte[100_000]);
        Files.write(layout.backupDir("backup_20260102_020000").resolve("base.tar.zst"), new byte[100_000]);
        Files.write(layout.backupDir("backup_20260103_020000").resolve("base.tar.zst"), new byte[100_000]);
        schedule(7, 4, 12, 250_000 / 1024.0 / 1024 / 1024);

        CleanupPlan dry = new CleanupService(LocalDirectoryRepository.at(layout.root()), ZoneOffset.UTC).plan();
        assertThat(names(dry.backups())).containsExactly("backup_20260101_020000");
        assertThat(dry.backups().get(0).reason()).startsWith("over the size cap");
        assertThat(dry.bytesAfter()).isLessThanOrEqualTo(250_000);

        schedule(7, 4, 12, 50_000 / 1024.0 / 1024 / 1024);
        CleanupPlan tight = new CleanupService(LocalDirectoryRepository.at(layout.root()), ZoneOffset.UTC).plan();
        assertThat(tight.kept()).containsOnlyKeys("backup_20260102_020000", "backup_20260103_020000");
        assertThat(tight.notes()).anyMatch(n -> n.startsWith("still above the size cap"));
    }

    @Test
    void failedBackupsGoRunningAndUnreadableOnesStay() throws Exception {
        twoTimelines(BackupStatus.COMPLETE);
        backup("backup_20260102_030000", BackupStatus.FAILED, 1, 0x11, today.minus(Duration.ofDays(9)), 10);
        backup("backup_20260104_020000", BackupStatus.RUNNING, 2, 0x24, today.plusSeconds(60), 10);
        Files.createDirectories(layout.backupDir("backup_20251231_020000"));
        schedule(7, 4, 12, 0);

        CleanupPlan dry = new CleanupService(LocalDirectoryRepository.at(layout.root()), ZoneOffset.UTC).plan();

        assertThat(names(dry.backups())).containsExactly("backup_20260102_030000");
        assertThat(dry.notes()).anyMatch(n -> n.contains("backup_20260104_020000") && n.contains("running"))
                .anyMatch(n -> n.contains("backup_20251231_020000") && n.contains("backup.json is missing"));
        assertThat(layout.backupDir("backup_20251231_020000")).isDirectory();
    }

    @Test
    void cliDryRunListsAndChangesNothingAndARefusedConfirmationRemovesNothing() throws Exception {
        twoTimelines(BackupStatus.VERIFIED);
        schedule(1, 0, 0, 0);
        List<String> before = walLeft();

        CliRunner.Result dry = CliRunner.run(Map.of(), "cleanup", "--dry-run", "--archive", layout.root().toString());
        assertThat(dry.exit()).as(dry.err()).isZero();
        assertThat(dry.out()).contains("would remove backup backup_20260101_020000").contains("would remove wal    000000010000000000000003")
                .contains("keep backup backup_20260102_020000  (newest verified)")
                .containsPattern("would remove 1 backups and 14 WAL files, \\S+");
        CliRunner.Result refused = CliRunner.runWithInput(Map.of(), "no\n", "cleanup", "--archive", layout.root().toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("nothing removed");
        assertThat(walLeft()).isEqualTo(before);
        assertThat(layout.backupDir("backup_20260101_020000")).isDirectory();

        CliRunner.Result yes = CliRunner.run(Map.of(), "cleanup", "--yes", "--archive", layout.root().toString());
        assertThat(yes.exit()).as(yes.err()).isZero();
        assertThat(yes.out()).contains("removed backup backup_20260101_020000").contains("removed 1 backups and 14 WAL files");
        assertThat(layout.backupDir("backup_20260101_020000")).doesNotExist();
    }
}

package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** An archive belongs to one database system: a backup of another cluster into it is refused before anything is written. */
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
class ArchiveOfOneSystemTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private static List<String> archiveEntries() throws Exception {
        try (Stream<java.nio.file.Path> s = Files.list(pg.cluster().archiveDir())) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    @org.junit.jupiter.api.Order(1) // the next test leaves another system's backup in the archive
    void aBackupOfAnotherClusterIsRefusedNamingBothSystems() throws Exception {
        String archive = pg.cluster().archiveDir().toString();
        CliRunner.Result first = CliRunner.run(Map.of(), "backup", "create", "--archive", archive, "-h", "127.0.0.1",
                "-p", String.valueOf(pg.cluster().port()), "-U", "postgres");
        assertThat(first.exit()).as(first.err()).isZero();
        String ours = pg.cluster().queryOne("SELECT system_identifier FROM pg_control_system()");
        List<String> before = archiveEntries();
        try (PgTestCluster other = PgTestCluster.start()) {
            String theirs = other.queryOne("SELECT system_identifier FROM pg_control_system()");
            assertThat(theirs).isNotEqualTo(ours);
            CliRunner.Result foreign = CliRunner.run(Map.of(), "backup", "create", "--archive", archive, "-h", "127.0.0.1",
                    "-p", String.valueOf(other.port()), "-U", "postgres");
            assertThat(foreign.exit()).isNotZero();
            assertThat(foreign.err()).contains("belongs to database system " + ours, "is database system " + theirs, "hint: ");
            assertThat(foreign.noStackTrace()).as(foreign.err()).isTrue();
        }
        assertThat(archiveEntries()).isEqualTo(before);
        assertThat(new BackupCatalog(LocalDirectoryRepository.at(pg.cluster().archiveDir())).records()).hasSize(1)
                .allSatisfy(r -> assertThat(r.systemIdentifier()).isEqualTo(ours));
    }

    @Test
    @org.junit.jupiter.api.Order(2)
    void aForeignBackupOrForeignWalInTheArchiveIsNeverOffered() throws Exception {
        String archive = pg.cluster().archiveDir().toString();
        CliRunner.Result first = CliRunner.run(Map.of(), "backup", "create", "--archive", archive, "-h", "127.0.0.1",
                "-p", String.valueOf(pg.cluster().port()), "-U", "postgres");
        assertThat(first.exit()).as(first.err()).isZero();
        String ours = pg.cluster().queryOne("SELECT system_identifier FROM pg_control_system()");
        java.nio.file.Path foreignWal;
        String foreignBackup;
        String theirs;
        try (PgTestCluster other = PgTestCluster.start()) {
            theirs = other.queryOne("SELECT system_identifier FROM pg_control_system()");
            CliRunner.Result b = CliRunner.run(Map.of(), "backup", "create", "--archive", other.archiveDir().toString(), "-h", "127.0.0.1",
                    "-p", String.valueOf(other.port()), "-U", "postgres");
            assertThat(b.exit()).as(b.err()).isZero();
            foreignBackup = new BackupCatalog(LocalDirectoryRepository.at(other.archiveDir())).records().get(0).id();
            // as an older version let in: the other cluster's backup beside ours, and one of its segments past our newest
            copyTree(other.archiveDir().resolve(foreignBackup), pg.cluster().archiveDir().resolve(foreignBackup));
            String last = null;
            for (int i = 0; i < 12; i++) {
                other.sql("CREATE TABLE IF NOT EXISTS x (i int); INSERT INTO x VALUES (" + i + ")");
                last = other.switchWalAndWaitArchived(java.time.Duration.ofSeconds(30));
            }
            foreignWal = other.walArchive().resolve(last);
            assertThat(pg.cluster().walArchive().resolve(last)).doesNotExist();
            Files.copy(foreignWal, pg.cluster().walArchive().resolve(last));
        }
        for (int i = 0; i < 3; i++) {
            pg.cluster().sql("CREATE TABLE IF NOT EXISTS ours (i int); INSERT INTO ours VALUES (" + i + ")");
            pg.cluster().switchWalAndWaitArchived(java.time.Duration.ofSeconds(30));
        }

        CliRunner.Result windows = CliRunner.run(Map.of(), "windows", "--json", "--archive", archive);
        assertThat(windows.exit()).as(windows.err()).isZero();
        com.fasterxml.jackson.databind.JsonNode w = io.pitrconsole.core.Json.mapper().readTree(windows.out());
        assertThat(w.get("windows").findValuesAsText("backup")).doesNotContain(foreignBackup).isNotEmpty();
        assertThat(w.toString()).contains("is from database system " + ours + ", not the backup's " + theirs);

        CliRunner.Result status = CliRunner.run(Map.of(), "wal", "status", "--archive", archive);
        assertThat(status.out()).contains("from database system " + theirs + ", not the archive's " + ours);

        CliRunner.Result plan = CliRunner.run(Map.of(), "restore", "plan", "--latest", "--backup", foreignBackup, "--archive", archive);
        assertThat(plan.exit()).isNotZero();
        assertThat(plan.noStackTrace()).as(plan.err()).isTrue();
    }

    private static void copyTree(java.nio.file.Path from, java.nio.file.Path to) throws Exception {
        try (Stream<java.nio.file.Path> all = Files.walk(from)) {
            for (java.nio.file.Path p : all.toList()) {
                java.nio.file.Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}

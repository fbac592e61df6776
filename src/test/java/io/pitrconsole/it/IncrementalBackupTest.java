package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupVerifier;
import io.pitrconsole.archive.VerifyProblem;
import io.pitrconsole.archive.VerifyReport;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.FileTrees;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Incremental backups of PostgreSQL 17 (pg_basebackup --incremental) hold only changed blocks and
 * cannot be restored by extracting them. No pg_basebackup of 17 can be installed here, so the 17
 * server writes the full and the incremental backup itself, given the replication commands
 * pg_basebackup would send ({@link ServerSideBaseBackup}). The catalog, verify, windows, plan,
 * check, health and restore must all see it and refuse it, never extract it; extracted by hand,
 * 17's server refuses to start on it. A label that does not say so ({@link SqlApiBackup#makeIncremental})
 * must not let INCREMENTAL files through either.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class IncrementalBackupTest {

    @Test
    void anIncrementalBackupIsSeenAndRefusedWhereverABackupIsUsed() throws Exception {
        // the WAL summarizer must run for the server to take an incremental backup
        try (PgTestCluster c = PgTestCluster.start(17, Map.of("summarize_wal", "on"))) {
            c.sql("CREATE TABLE t (id int, batch int)");
            c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
            BackupRecord full = ServerSideBaseBackup.full(c, "backup_20260101_000000");
            c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
            BackupRecord incremental = ServerSideBaseBackup.incremental(c, "backup_20260101_000100", full);
            String relation = c.queryOne("SELECT pg_relation_filepath('t')");
            String incrementalFile = relation.substring(0, relation.lastIndexOf('/') + 1) + "INCREMENTAL." + relation.substring(relation.lastIndexOf('/') + 1);
            assertThat(SqlApiBackup.labelIn(c.archiveDir().resolve(incremental.id()).resolve("base.tar")))
                    .contains("INCREMENTAL FROM LSN: " + full.startLsn()).contains("INCREMENTAL FROM TLI: 1");
            // t changed whole (one block of one), so it is sent in full; unchanged relations are INCREMENTAL files
            assertThat(Files.readString(c.archiveDir().resolve(incremental.id()).resolve("backup_manifest"))).contains("/INCREMENTAL.");
            while (!Instant.parse(c.queryOne("SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')"))
                    .isAfter(SqlApiBackup.earliestTarget(incremental))) {
                c.sql("SELECT pg_sleep(0.05)");
            }
            c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 25) g");
            c.sql("SELECT pg_create_restore_point('after_third')");
            c.switchWalAndWaitArchived(Duration.ofSeconds(60));

            ArchiveLayout layout = new ArchiveLayout(c.archiveDir());
            BackupService backups = new BackupService(LocalDirectoryRepository.at(layout.root()), c.pgContext());

            // the catalog: whatever its backup.json says, it is incremental, based on the full backup's start
            assertThat(backups.get(incremental.id()).status().label()).isEqualTo("incremental");
            assertThat(backups.get(incremental.id()).error()).contains("pg_basebackup --incremental").contains(full.startLsn().toString());
            assertThat(backups.get(full.id()).status().label()).isEqualTo("complete");
            // the catalog asks the .backup file in the WAL archive first, which says it too; without it, base.tar's label
            Path history = c.walArchive().resolve(WalSegmentName.containing(1, incremental.startLsn(), WalSegmentName.DEFAULT_SEGMENT_SIZE)
                    + "." + String.format("%08X", incremental.startLsn().value() % WalSegmentName.DEFAULT_SEGMENT_SIZE) + ".backup");
            assertThat(Files.readString(history)).contains("INCREMENTAL FROM LSN: " + full.startLsn());
            Path away = c.baseDir().resolve(history.getFileName());
            Files.move(history, away);
            assertThat(backups.get(incremental.id()).status().label()).isEqualTo("incremental");
            Files.move(away, history);
            // the full one, with the manifest 17 wrote, verifies
            VerifyReport fullVerified = backups.verify(full.id(), ProgressListener.NONE, Cancellation.none());
            assertThat(fullVerified.problems()).isEmpty();
            assertThat(fullVerified.ok()).isTrue();

            // backup verify refuses it with the hint, and leaves its record alone
            assertThatThrownBy(() -> backups.verify(incremental.id(), ProgressListener.NONE, Cancellation.none()))
                    .isInstanceOf(PitrException.class)
                    .hasMessageContaining("backup " + incremental.id() + " is an incremental backup")
                    .hasMessageContaining("the backup that started at " + full.startLsn())
                    .satisfies(e -> assertThat(((PitrException) e).hint()).contains("pg_combinebackup"));
            assertThat(backups.get(incremental.id()).lastVerified()).isNull();

            // windows: the full backup has one, the incremental is listed as not restorable, saying why
            RecoveryWindows w = new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(layout.root())).windows(ProgressListener.NONE, Cancellation.none());
            assertThat(w.windows()).extracting(RecoveryWindow::backupId).containsOnly(full.id());
            assertThat(w.unrestorable()).anySatisfy(u -> {
                assertThat(u.backupId()).isEqualTo(incremental.id());
                assertThat(u.reason()).contains("incremental backup").contains("pg_combinebackup");
            });

            // restore check: a warning naming it; a failure when it is the backup asked for
            JsonNode all = restoreCheck(c);
            assertThat(check(all, "incremental backups").get("level").asText()).isEqualTo("warn");
            JsonNode named = restoreCheck(c, "--backup", incremental.id());
            assertThat(check(named, "incremental backups").get("level").asText()).isEqualTo("fail");
            assertThat(check(named, "incremental backups").get("hint").asText()).contains("pg_combinebackup");

            // health: the newest restorable backup is the full one
            CliRunner.Result health = CliRunner.run(Map.of(), "health", "--no-server", "--json", "--archive", layout.root().toString());
            assertThat(check(Json.mapper().readTree(health.out()), "newest backup").get("detail").asText()).startsWith(full.id());

            // a plan passes over it to the full backup; asked for by id, it is refused before anything is written
            RestoreService restores = new RestoreService(LocalDirectoryRepository.at(layout.root()), c.pgContext());
            assertThat(restores.plan(RestoreRequest.rehearsal(RecoveryTarget.name("after_third")), ProgressListener.NONE, Cancellation.none())
                    .backupId()).isEqualTo(full.id());
            Path sandbox = c.baseDir().resolve("rehearsal-of-incremental");
            assertThatThrownBy(() -> restores.run(RestoreRequest.rehearsal(RecoveryTarget.name("after_third")).fromBackup(incremental.id())
                    .into(sandbox), RestoreListener.NONE, Cancellation.none()))
                    .isInstanceOf(PitrException.class)
                    .hasMessageContaining("is an incremental backup")
                    .satisfies(e -> assertThat(((PitrException) e).hint()).contains("pg_combinebackup"));
            assertThat(sandbox).doesNotExist();
            RestoreReport fromFull = restores.run(RestoreRequest.rehearsal(RecoveryTarget.name("after_third")), RestoreListener.NONE,
                    Cancellation.none());
            assertThat(fromFull.status()).as(fromFull.error() + " / " + fromFull.hint()).isEqualTo(RestoreReport.SUCCEEDED);
            assertThat(fromFull.backup()).isEqualTo(full.id());
            assertThat(fromFull.rowCounts()).containsEntry("public.t", 175L);

            // the server of 17 takes it for an incremental backup too: what extracting it would have come to
            assertThat(serverStartingOn(c, incremental)).contains("this is an incremental backup, not a data directory");

            // INCREMENTAL files under a label that does not say so: verify finds them, extraction refuses them
            BackupRecord unlabelled = SqlApiBackup.withData(c, "backup_20260101_000200");
            SqlApiBackup.makeIncremental(c, unlabelled, full, List.of(relation), false);
            assertThat(backups.get(unlabelled.id()).status().label()).isEqualTo("complete");
            VerifyReport v = new BackupVerifier().verify(LocalDirectoryRepository.at(layout.root()).backups(), unlabelled.id(),
                    LocalDirectoryRepository.at(layout.root()).wal(),
                    WalSegmentName.DEFAULT_SEGMENT_SIZE, ProgressListener.NONE, Cancellation.none());
            assertThat(v.ok()).isFalse();
            assertThat(v.problems()).extracting(VerifyProblem::kind).contains("incremental");
            assertThat(v.problems()).filteredOn(p -> p.kind().equals("incremental")).first()
                    .satisfies(p -> assertThat(p.detail()).contains(incrementalFile));
            c.sql("INSERT INTO t SELECT g, 4 FROM generate_series(1, 10) g"); // else the switch below has nothing to switch
            c.switchWalAndWaitArchived(Duration.ofSeconds(60));
            Path sandbox2 = c.baseDir().resolve("rehearsal-of-unlabelled");
            RestoreReport refused = restores.run(RestoreRequest.rehearsal(RecoveryTarget.latest()).fromBackup(unlabelled.id()).into(sandbox2),
                    RestoreListener.NONE, Cancellation.none());
            assertThat(refused.status()).isEqualTo(RestoreReport.FAILED);
            assertThat(refused.error()).contains("is an incremental backup").contains("INCREMENTAL.");
            assertThat(refused.hint()).contains("pg_combinebackup");
            assertThat(sandbox2.resolve("data").resolve(relation)).doesNotExist();
        }
    }

    private static JsonNode restoreCheck(PgTestCluster c, String... more) throws IOException {
        List<String> args = new ArrayList<>(List.of("restore", "check", "--to-name", "after_third", "--json", "--archive",
                c.archiveDir().toString(), "-U", PgTestCluster.SUPERUSER, "--pg-bin", c.installation().binDir().toString()));
        args.addAll(List.of(more));
        CliRunner.Result r = CliRunner.run(Map.of(), args.toArray(String[]::new));
        assertThat(r.noStackTrace()).isTrue();
        return Json.mapper().readTree(r.out());
    }

    private static JsonNode check(JsonNode report, String name) {
        for (JsonNode check : report.get("checks")) {
            // restore check names it "name", health "check"
            if (check.path(check.has("name") ? "name" : "check").asText().equals(name)) {
                return check;
            }
        }
        throw new AssertionError("no check '" + name + "' in " + report);
    }

    /**
     * Unpacks the backup's base.tar as it is (no console code involved) next to the cluster, on
     * another port, and starts 17's server on it; returns its log.
     */
    private static String serverStartingOn(PgTestCluster c, BackupRecord backup) throws IOException {
        Path data = c.baseDir().resolve("raw-extract");
        Files.createDirectories(data.resolve("pg_wal"));
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(c.archiveDir().resolve(backup.id()).resolve("base.tar")))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                Path to = data.resolve(e.getName());
                if (e.isDirectory()) {
                    Files.createDirectories(to);
                } else {
                    Files.createDirectories(to.getParent());
                    Files.copy(in, to);
                }
            }
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Files.writeString(data.resolve("postgresql.conf"), "\nport = " + port + "\narchive_mode = off\n", StandardOpenOption.APPEND);
        Files.setPosixFilePermissions(data, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        c.giveToServerUser(data);
        Path log = c.baseDir().resolve("raw-extract.log");
        Files.writeString(log, "");
        c.giveToServerUser(log);
        try {
            c.control().start(data, log, 30);
            c.control().stop(data, "immediate");
            return "the server started: " + Files.readString(log);
        } catch (RuntimeException e) {
            return Files.readString(log) + e.getMessage();
        } finally {
            FileTrees.deleteRecursively(data);
        }
    }
}

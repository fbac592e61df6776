package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.VerifyReport;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.run.RecoverySettings;
import io.pitrconsole.recovery.run.Verification;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Servers older than the installed pg_basebackup: pg_basebackup 15 backs up 13 and 14, the
 * backup verifies, and a rehearsal replays it to a restore point with the server programs of
 * the backup's own major. Without those programs the restore is refused up front, naming the
 * package to install.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class MajorsBackupRestoreTest {

    @ParameterizedTest(name = "PostgreSQL {0}")
    @ValueSource(ints = {13, 14})
    void newerPgBasebackupBacksUpAndTheBackupsOwnMajorRestoresIt(int major) throws Exception {
        try (PgTestCluster c = PgTestCluster.start(major, Map.of())) {
            assertThat(c.pgContext().installation(Optional.of(major)).tool("pg_basebackup")).isEqualTo(Path.of("/usr/lib/postgresql/15/bin/pg_basebackup"));
            ArchiveLayout layout = new ArchiveLayout(c.archiveDir());
            c.sql("CREATE TABLE t (id int, batch int)");
            c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
            BackupService backups = new BackupService(LocalDirectoryRepository.at(layout.root()), c.pgContext());
            BackupRecord b = backups.create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none()).backup();
            assertThat(b.pgVersion()).startsWith(major + ".");
            VerifyReport verified = backups.verify(b.id(), ProgressListener.NONE, Cancellation.none());
            assertThat(verified.problems()).isEmpty();
            assertThat(verified.ok()).isTrue();

            c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
            c.sql("SELECT pg_create_restore_point('after_second')");
            c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 25) g");
            c.switchWalAndWaitArchived(Duration.ofSeconds(60));

            RestoreCheckCli.passesWithProgramsOf(c, major, "--to-name", "after_second");
            RestoreReport r = new RestoreService(LocalDirectoryRepository.at(layout.root()), c.pgContext())
                    .run(RestoreRequest.rehearsal(RecoveryTarget.name("after_second")), RestoreListener.NONE, Cancellation.none());
            assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
            assertThat(r.rowCounts()).containsEntry("public.t", 150L);

            // a kept rehearsal paused at the target, checked afterwards as 'restore verify --report' does
            RestoreService service = new RestoreService(LocalDirectoryRepository.at(layout.root()), c.pgContext());
            RestoreReport paused = service.run(RestoreRequest.rehearsal(RecoveryTarget.name("after_second"))
                    .withAction(RecoverySettings.Action.PAUSE).keeping(true), RestoreListener.NONE, Cancellation.none());
            try {
                assertThat(paused.status()).as(paused.error() + " / " + paused.hint()).isEqualTo(RestoreReport.SUCCEEDED);
                Verification v = service.verifyKept(paused.id(), Optional.empty(), "postgres", "public", OptionalInt.empty());
                assertThat(v.inRecovery()).isTrue();
                assertThat(v.checks()).filteredOn(ch -> ch.name().equals("recovery ended")).singleElement()
                        .satisfies(ch -> assertThat(ch.ok()).as(ch.detail()).isTrue());
                assertThat(v.rowCounts()).containsEntry("public.t", 150L);
            } finally {
                if (paused.sandbox() != null) {
                    service.discard(Path.of(paused.sandbox()));
                }
            }

            // only Debian's programs (another major) on this machine: refused before anything runs
            Assumptions.assumeFalse(Files.exists(Path.of("/usr/lib/postgresql", String.valueOf(major))),
                    "PostgreSQL " + major + " is installed from Debian here");
            PgContext debianOnly = new PgContext(Optional.empty(), Map.of("PATH", "/usr/bin:/bin"), new OsUser(OsUser.DEFAULT));
            long reportsBefore = reports(layout);
            assertThatThrownBy(() -> new RestoreService(LocalDirectoryRepository.at(layout.root()), debianOnly)
                    .run(RestoreRequest.rehearsal(RecoveryTarget.name("after_second")), RestoreListener.NONE, Cancellation.none()))
                    .isInstanceOf(PitrException.class)
                    .hasMessageContaining("is of PostgreSQL " + major + ", but the PostgreSQL programs found")
                    .satisfies(e -> assertThat(((PitrException) e).hint()).contains("apt-get install postgresql-" + major));
            assertThat(reports(layout)).isEqualTo(reportsBefore);
        }
    }

    private static long reports(ArchiveLayout layout) throws java.io.IOException {
        Path dir = layout.stateDir();
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (var files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith("restore_")).count();
        }
    }
}

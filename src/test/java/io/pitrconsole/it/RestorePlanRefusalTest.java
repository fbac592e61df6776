package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plan-time refusals against a real archive with a hole in it: backup A, commits, a WAL segment
 * lost, more commits, backup B. Targets in the hole, beyond the WAL or before A are refused with
 * the nearest restorable moments, and nothing is created.
 */
class RestorePlanRefusalTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static OffsetDateTime inTheGap;
    static OffsetDateTime beforeTheGap;
    static String lostSegment;

    static OffsetDateTime serverNow(PgTestCluster c) {
        return OffsetDateTime.parse(c.queryOne("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"));
    }

    @BeforeAll
    static void archiveWithAGap() throws Exception {
        PgTestCluster c = pg.cluster();
        BackupService backups = new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext());
        c.sql("CREATE TABLE t (id int)");
        backups.create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t VALUES (1)");
        Thread.sleep(300);
        beforeTheGap = serverNow(c);
        Thread.sleep(300);
        c.sql("INSERT INTO t VALUES (2)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t VALUES (3)");
        Thread.sleep(300);
        inTheGap = serverNow(c);
        Thread.sleep(300);
        c.sql("INSERT INTO t VALUES (4)");
        lostSegment = c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t VALUES (5)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        Files.move(c.walArchive().resolve(lostSegment), c.baseDir().resolve(lostSegment));
        backups.create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t VALUES (6)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    private RestoreService service() {
        return new RestoreService(LocalDirectoryRepository.at(pg.cluster().archiveDir()), pg.cluster().pgContext());
    }

    private PitrException refused(RecoveryTarget target, Path dir) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() ->
                service().plan(RestoreRequest.rehearsal(target).into(dir), ProgressListener.NONE, Cancellation.none()));
        assertThat(t).isInstanceOf(PitrException.class);
        assertThat(dir).doesNotExist();
        assertThat(pg.cluster().archiveDir().resolve(".pitr/reports")).doesNotExist();
        return (PitrException) t;
    }

    @Test
    void targetInTheGapIsRefusedWithTheMomentsOnEitherSide() {
        PitrException e = refused(RecoveryTarget.time(inTheGap), pg.cluster().baseDir().resolve("never-gap"));
        assertThat(e.getMessage()).contains("lies in a gap of the WAL archive", lostSegment);
        assertThat(e.hint()).startsWith("nearest restorable moments: ").contains(" and ");
    }

    @Test
    void targetBeyondTheWalIsRefused() {
        PitrException e = refused(RecoveryTarget.time(OffsetDateTime.now(ZoneOffset.UTC).plusHours(1)),
                pg.cluster().baseDir().resolve("never-beyond"));
        assertThat(e.getMessage()).contains("lies beyond the archived WAL");
        assertThat(e.hint()).startsWith("nearest restorable moments: ");
        PitrException lsn = refused(RecoveryTarget.lsn("FF/0"), pg.cluster().baseDir().resolve("never-lsn"));
        assertThat(lsn.getMessage()).contains("beyond the archived WAL");
        assertThat(lsn.getMessage().split("FF/0", -1)).as("the LSN is named once: " + lsn.getMessage()).hasSize(2);
        assertThat(lsn.hint()).contains("restorable WAL locations: ");
    }

    @Test
    void targetBeforeTheFirstBackupAndUnknownRestorePointAreRefused() {
        PitrException early = refused(RecoveryTarget.time(OffsetDateTime.parse("2001-01-01T00:00:00Z")),
                pg.cluster().baseDir().resolve("never-early"));
        assertThat(early.getMessage()).contains("lies before the first usable backup");
        PitrException name = refused(RecoveryTarget.name("no_such_point"), pg.cluster().baseDir().resolve("never-name"));
        assertThat(name.getMessage()).contains("no restore point named 'no_such_point'");
    }

    @Test
    void targetBeforeTheGapIsPlannedFromTheFirstBackupWithEveryWalFileListed() {
        RestorePlan plan = service().plan(RestoreRequest.rehearsal(RecoveryTarget.time(beforeTheGap)), ProgressListener.NONE,
                Cancellation.none());
        assertThat(plan.target().timeline()).isEqualTo(1);
        assertThat(plan.walSegments()).isNotEmpty().doesNotContain(lostSegment);
        assertThat(plan.settings()).containsEntry("recovery_target_timeline", "1").containsKey("recovery_target_time");
        assertThatThrownBy(() -> service().plan(RestoreRequest.rehearsal(RecoveryTarget.time(beforeTheGap))
                .fromBackup("backup_20990101_000000"), ProgressListener.NONE, Cancellation.none()))
                .isInstanceOf(PitrException.class).hasMessageContaining("backup_20990101_000000");
    }
}

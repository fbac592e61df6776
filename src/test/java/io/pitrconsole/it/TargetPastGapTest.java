package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.target.TargetRefusedException;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One backup, then a lost WAL segment, then archived commits and no backup after them: a target
 * after the gap is refused because of the gap (recovery cannot pass it), not as "beyond the
 * archived WAL", which would send the DBA looking for WAL that is right there.
 */
class TargetPastGapTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static OffsetDateTime afterTheGap;
    static String lostSegment;

    @BeforeAll
    static void archiveWithAGapAndCommitsAfterIt() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int)");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t VALUES (1)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t VALUES (2)");
        lostSegment = c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t VALUES (3)");
        afterTheGap = RestorePlanRefusalTest.serverNow(c);
        Thread.sleep(50);
        c.sql("INSERT INTO t VALUES (4)");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        Files.move(c.walArchive().resolve(lostSegment), c.baseDir().resolve(lostSegment));
    }

    private PitrException refused(RecoveryTarget target) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> new RestoreService(LocalDirectoryRepository.at(pg.cluster().archiveDir()),
                pg.cluster().pgContext()).plan(RestoreRequest.rehearsal(target), ProgressListener.NONE, Cancellation.none()));
        assertThat(t).isInstanceOf(PitrException.class);
        return (PitrException) t;
    }

    @Test
    void aTimeAfterTheGapIsRefusedNamingTheGapAndOfferingTheMomentsBeforeIt() {
        PitrException e = refused(RecoveryTarget.time(afterTheGap));
        assertThat(e.getMessage()).contains("lies past a gap in the WAL archive", "WAL missing from " + lostSegment, "cannot replay past")
                .doesNotContain("beyond the archived WAL");
        assertThat(e.hint()).startsWith("nearest restorable moments: ");
        assertThat(((TargetRefusedException) e).suggestions()).isNotEmpty()
                .allSatisfy(s -> assertThat(s).isBefore(afterTheGap.toInstant()));
    }

    @Test
    void anLsnAfterTheGapIsRefusedNamingTheGap() {
        String lsnAfter = pg.cluster().queryOne("SELECT pg_current_wal_lsn()");
        PitrException e = refused(RecoveryTarget.lsn(lsnAfter));
        assertThat(e.getMessage()).contains("lies past a gap in the WAL archive", lostSegment);
    }
}

package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A plan shown to someone and run later: the archive may have changed in between. The run's
 * pre-checks check the plan again and stop it, before it touches anything, when the archive no
 * longer allows it as planned.
 */
class StalePlanTest {
    private static final String POINT = "before_the_change";

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @BeforeAll
    static void history() {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int)");
        new BackupService(layout(), c.pgContext()).create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g FROM generate_series(1, 10) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    private static Repository layout() {
        return LocalDirectoryRepository.at(pg.cluster().archiveDir());
    }

    private static RestoreService service() {
        return new RestoreService(layout(), pg.cluster().pgContext());
    }

    @Test
    void aPlanWhoseRestorePointNowMeansAnotherMomentIsRefusedBeforeAnythingIsTouched() {
        PgTestCluster c = pg.cluster();
        c.sql("SELECT pg_create_restore_point('" + POINT + "')");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        RestorePlan plan = service().plan(RestoreRequest.rehearsal(RecoveryTarget.name(POINT)), ProgressListener.NONE, Cancellation.none());
        // a second restore point of that name: the target the plan was shown for no longer means what it meant
        c.sql("INSERT INTO t SELECT g FROM generate_series(1, 5) g");
        c.sql("SELECT pg_create_restore_point('" + POINT + "')");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));

        RestoreReport r = service().run(plan, RestoreListener.NONE, Cancellation.none());

        assertThat(r.status()).as("the run went ahead").isEqualTo(RestoreReport.FAILED);
        assertThat(r.error()).startsWith("the archive changed since this restore was planned: recovery reads WAL up to ");
        assertThat(r.hint()).contains("plan again");
        assertThat(r.steps()).extracting(RestoreReport.Step::name).containsExactly("pre-checks");
        assertThat(plan.dataDirectory().getParent()).doesNotExist();
    }

    @Test
    void aPlanWhoseWalFileWentMissingSinceIsStillRefused() throws Exception {
        RestorePlan plan = service().plan(RestoreRequest.rehearsal(RecoveryTarget.latest()), ProgressListener.NONE, Cancellation.none());
        Path wal = pg.cluster().walArchive().resolve(plan.walSegments().get(plan.walSegments().size() - 1));
        Path away = pg.cluster().baseDir().resolve(wal.getFileName());
        Files.move(wal, away);
        try {
            RestoreReport r = service().run(plan, RestoreListener.NONE, Cancellation.none());

            assertThat(r.status()).as("the run went ahead").isEqualTo(RestoreReport.FAILED);
            assertThat(r.error()).contains(wal.getFileName().toString());
            assertThat(r.steps()).extracting(RestoreReport.Step::name).containsExactly("pre-checks");
            assertThat(plan.dataDirectory().getParent()).doesNotExist();
        } finally {
            Files.move(away, wal);
        }
    }

    @Test
    void aPlanStillCurrentRuns() {
        RestorePlan plan = service().plan(RestoreRequest.rehearsal(RecoveryTarget.latest()), ProgressListener.NONE, Cancellation.none());
        pg.cluster().sql("INSERT INTO t SELECT g FROM generate_series(1, 5) g");
        // WAL archived after the plan only adds files behind the planned ones: the plan still holds
        pg.cluster().switchWalAndWaitArchived(Duration.ofSeconds(30));

        RestoreReport r = service().run(plan, RestoreListener.NONE, Cancellation.none());

        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(r.dataDirectory()).isEqualTo(plan.dataDirectory().toString());
    }
}

package io.pitrconsole.ui.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.RestoreService;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.ui.ImmediateBackground;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The wizard's view model over the real services of a real cluster, without a window: the plan
 * the Plan step shows is the very plan Start restore runs (same backup, settings, WAL, sandbox and
 * port), and changing the mode on the Mode step plans again, which the Plan step then shows.
 */
class PlanShownIsPlanRunTest {
    private static final String POINT = "after_batch_two";

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    /** Runs every job at once on the calling thread. */
    private final ImmediateBackground syncJobs = new ImmediateBackground(notice -> { }, line -> { });

    @BeforeAll
    static void history() {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int, batch int)");
        new BackupService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 10) g");
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 20) g");
        c.sql("SELECT pg_create_restore_point('" + POINT + "')");
        c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 40) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    @Test
    void thePlanShownIsThePlanRunAndAModeChangePlansAgain() {
        PgTestCluster c = pg.cluster();
        RealBackend backend = new RealBackend(c);
        RestoreWizardViewModel vm = new RestoreWizardViewModel(syncJobs);
        vm.backendProperty().set(backend);
        vm.target().kindProperty().set(RecoveryTarget.Kind.NAME);
        vm.target().restorePointProperty().set(POINT);

        vm.next();
        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.MODE);
        assertThat(backend.plans).isEmpty();
        vm.next();
        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.PLAN);
        RestorePlan rehearsal = vm.planProperty().get();
        assertThat(vm.planErrorProperty().get()).isEmpty();
        assertThat(rehearsal.mode()).isEqualTo(RestoreMode.REHEARSAL);

        // in place: planned again as soon as the Plan step is entered, and shown there before anything runs
        vm.back();
        vm.mode().modeProperty().set(RestoreMode.IN_PLACE);
        vm.mode().confirmationProperty().set(backend.clusterName());
        vm.next();
        RestorePlan inPlace = vm.planProperty().get();
        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.PLAN);
        assertThat(vm.planErrorProperty().get()).isEmpty();
        assertThat(backend.plans).hasSize(2);
        assertThat(inPlace.mode()).isEqualTo(RestoreMode.IN_PLACE);
        assertThat(inPlace.dataDirectory()).isEqualTo(c.dataDir().toAbsolutePath().normalize());
        assertThat(inPlace.settings()).isNotEqualTo(rehearsal.settings());

        // back to a kept rehearsal: planned again, and that plan is what runs
        vm.back();
        vm.mode().modeProperty().set(RestoreMode.REHEARSAL);
        vm.mode().keepRunningProperty().set(true);
        vm.next();
        RestorePlan shown = vm.planProperty().get();
        assertThat(backend.plans).hasSize(3);
        assertThat(shown.mode()).isEqualTo(RestoreMode.REHEARSAL);
        assertThat(shown.request().keep()).isTrue();
        assertThat(vm.canNextProperty().get()).isTrue();

        vm.next();

        assertThat(backend.plans).hasSize(3);
        assertThat(backend.ran).isSameAs(shown);
        assertThat(backend.ran.backupId()).isEqualTo(shown.backupId());
        assertThat(backend.ran.settings()).isEqualTo(shown.settings());
        assertThat(backend.ran.walSegments()).isEqualTo(shown.walSegments()).isNotEmpty();
        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.REPORT);
        RestoreReport r = vm.report().reportProperty().get();
        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        // a second plan would have chosen a new sandbox and a new free port
        assertThat(r.backup()).isEqualTo(shown.backupId());
        assertThat(r.dataDirectory()).isEqualTo(shown.dataDirectory().toString());
        assertThat(r.port()).isEqualTo(shown.port());
        assertThat(r.rowCounts()).containsEntry("public.t", 30L);
        backend.service.discard(Path.of(r.sandbox()));
    }

    /** The real services of the cluster; remembers every plan made and the plan handed to run. */
    private static final class RealBackend implements RestoreBackend {
        final PgTestCluster cluster;
        final RestoreService service;
        final List<RestoreRequest> plans = new ArrayList<>();
        RestorePlan ran;

        RealBackend(PgTestCluster cluster) {
            this.cluster = cluster;
            this.service = new RestoreService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(cluster.archiveDir()), cluster.pgContext());
        }

        @Override
        public String clusterName() {
            return "itest";
        }

        @Override
        public ConnectionSettings connection() {
            return cluster.connection();
        }

        @Override
        public Optional<Path> dataDirectory() {
            return Optional.of(cluster.dataDir());
        }

        @Override
        public RecoveryWindows windows(ProgressListener progress, Cancellation cancel) {
            return new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(cluster.archiveDir())).windows(progress, cancel);
        }

        @Override
        public RestorePlan plan(RestoreRequest request, ProgressListener progress, Cancellation cancel) {
            plans.add(request);
            return service.plan(request, progress, cancel);
        }

        @Override
        public RestoreReport run(RestorePlan plan, RestoreListener listener, Cancellation cancel) {
            ran = plan;
            return service.run(plan, listener, cancel);
        }

        @Override
        public List<RestoreReport> history() {
            return service.history();
        }

        @Override
        public Path discard(Path sandbox) {
            return service.discard(sandbox);
        }

        @Override
        public RestoreReport rollback(String restoreId) {
            return service.rollback(Optional.of(restoreId));
        }

        @Override
        public Path exportHtml(RestoreReport report) {
            return service.exportHtml(report);
        }
    }
}

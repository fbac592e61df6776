package io.pitrconsole.ui.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.ui.ConsoleModel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * An in-place restore promotes the cluster onto a new timeline, and a rollback puts the old one
 * back: the status bar says which timeline the server is on after each, without the user
 * switching profiles or reconnecting. Runs the wizard in its window against a real cluster.
 */
@ExtendWith(ApplicationExtension.class)
class InPlaceRestoreStatusBarTest {
    private static final String POINT = "before_more";

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @TempDir
    Path config;

    private ConsoleModel model;
    private RestoreWizardViewModel vm;

    @BeforeAll
    static void history() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int)");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g FROM generate_series(1, 10) g");
        c.sql("SELECT pg_create_restore_point('" + POINT + "')");
        c.sql("INSERT INTO t SELECT g FROM generate_series(1, 5) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    @Start
    void start(Stage stage) {
        RestoreConsole console = RestoreConsole.open(stage, config, pg.cluster());
        model = console.model();
        vm = console.wizard();
    }

    @Test
    void theStatusBarShowsTheNewTimelineAfterAnInPlaceRestoreAndTheOldOneAfterItsRollback(FxRobot robot) throws Exception {
        PgTestCluster c = pg.cluster();
        waitFor(30, () -> connection(robot).startsWith("connected") && model.background().running().isEmpty());
        assertThat(connection(robot)).endsWith("timeline 1");

        // as "Restore to here..." on the timeline opens it
        robot.interact(() -> model.requestRestore(RecoveryTarget.name(POINT)));
        waitFor(60, () -> vm.windowsProperty().get() != null);
        robot.clickOn("#restore-next");
        robot.clickOn("#mode-in-place");
        robot.clickOn("#mode-confirm").write("itest");
        robot.clickOn("#restore-next");
        waitFor(60, () -> vm.planProperty().get() != null || !vm.planErrorProperty().get().isEmpty());
        assertThat(vm.planErrorProperty().get()).isEmpty();
        robot.clickOn("#restore-next");
        waitFor(240, () -> vm.stepProperty().get() == WizardStep.REPORT);

        RestoreReport r = vm.report().reportProperty().get();
        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(c.queryOne("SELECT timeline_id FROM pg_control_checkpoint()")).isEqualTo("2");
        waitFor(30, () -> connection(robot).endsWith("timeline 2"));
        assertThat(connection(robot)).startsWith("connected: PostgreSQL");

        robot.clickOn("#report-rollback");
        waitFor(120, () -> vm.report().reportProperty().get().rolledBack() && !vm.report().busyProperty().get());
        assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo("15");
        waitFor(30, () -> connection(robot).endsWith("timeline 1"));
        assertThat(connection(robot)).startsWith("connected: PostgreSQL");
    }

    private static String connection(FxRobot robot) {
        return robot.lookup("#connection-state").queryAs(Label.class).getText();
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }
}

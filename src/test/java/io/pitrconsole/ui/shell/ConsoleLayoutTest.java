package io.pitrconsole.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.schedule.HealthLevel;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TabPane;
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
 * At 1280x800, the smallest window the console is made for, and at 1920x1080, no status-bar
 * control, no table header and none of the lines a DBA reads a page by is cut to "...": on every
 * page, with a real archive, and while a real rehearsal runs in the status bar.
 */
@ExtendWith(ApplicationExtension.class)
class ConsoleLayoutTest {
    private static final String POINT = "before_more";

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @TempDir
    Path config;

    private ConsoleModel model;
    private Stage stage;

    @BeforeAll
    static void history() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE t (id int)");
        new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g FROM generate_series(1, 10) g");
        c.sql("SELECT pg_create_restore_point('" + POINT + "')");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    @Start
    void start(Stage stage) {
        this.stage = stage;
        PgTestCluster c = pg.cluster();
        ProfileStore store = new ProfileStore(config.resolve("profiles.json"));
        store.put(new Profile("itest", "127.0.0.1", c.port(), PgTestCluster.SUPERUSER, "postgres", c.dataDir().toString(),
                null, c.archiveDir().toString(), c.installation().binDir().toString()), true);
        model = new ConsoleModel(Map.of(), store, new UiPreferencesStore(config.resolve("ui.json")));
        MainWindow window = new MainWindow(model, Pages.create(model));
        stage.setScene(window.scene(1280, 800));
        stage.show();
        model.reloadProfiles();
    }

    @Test
    void nothingIsCutAt1280x800OnAnyPageNorWhileARehearsalRuns(FxRobot robot) throws Exception {
        List<String> cut = new ArrayList<>();
        waitFor(30, () -> connection(robot).startsWith("connected") && model.background().running().isEmpty());
        everyPage(robot, cut);

        // the create-backup dialog's fields
        robot.clickOn("#nav-backups");
        waitFor(30, () -> model.background().running().isEmpty());
        robot.clickOn("#backup-create");
        waitFor(10, () -> robot.lookup("#create-max-rate").tryQuery().isPresent());
        Node dialog = robot.lookup("#create-max-rate").query().getScene().getRoot();
        cut.addAll(Truncation.prompts(dialog));
        cut.addAll(Truncation.labeleds(dialog, l -> true));
        robot.clickOn("#create-cancel");

        // a real rehearsal: the status bar carries its task, the Run step its steps
        robot.clickOn("#nav-restore");
        robot.interact(() -> model.requestRestore(RecoveryTarget.name(POINT)));
        waitFor(60, () -> robot.lookup("#restore-next").queryAs(javafx.scene.control.Button.class).isDisabled() == false);
        robot.clickOn("#restore-next");
        robot.clickOn("#mode-rehearsal");
        robot.clickOn("#restore-next");
        waitFor(60, () -> !robot.lookup("#restore-next").queryAs(javafx.scene.control.Button.class).isDisabled()
                && robot.lookup("#step-plan").query().isVisible());
        robot.clickOn("#restore-next");
        waitFor(60, () -> robot.lookup("#step-run").query().isVisible() && !model.background().running().isEmpty());
        waitFor(30, () -> robot.lookup("#run-steps").queryAs(javafx.scene.control.TableView.class).getItems().size() > 1);
        cut.addAll(statusBarAndHeaders(robot));
        for (String page : List.of("dashboard", "backups", "recovery-timeline", "wal-archiving", "settings", "restore")) {
            robot.clickOn("#nav-" + page);
            WaitForAsyncUtils.waitForFxEvents();
            cut.addAll(statusBar(robot).stream()
                    .map(s -> "while restoring, on " + page + ": " + s).toList());
        }
        waitFor(240, () -> model.background().running().isEmpty() && robot.lookup("#step-report").query().isVisible());
        TabPane tabs = robot.lookup("#restore-tabs").queryAs(TabPane.class);
        robot.interact(() -> tabs.getSelectionModel().select(1));
        waitFor(30, () -> robot.lookup("#history-table").queryAs(javafx.scene.control.TableView.class).getItems().size() > 0);
        cut.addAll(statusBarAndHeaders(robot));

        // the longest a restore's task reads, with a verification running beside it
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        robot.interact(() -> {
            model.background().submit("Restoring (in place) to 2026-12-05 23:59:59.123456+00:00", blocking("extracting base/16384/2619_fsm", release), null);
            model.background().submit("Verifying backup 20261205T235959Z", blocking("base.tar.zst", release), null);
        });
        waitFor(10, () -> model.background().running().size() == 2);
        for (String page : List.of("dashboard", "backups", "wal-archiving")) {
            robot.clickOn("#nav-" + page);
            // the page's own load is listed too while it runs: measure with the two long tasks alone
            waitFor(10, () -> model.background().running().size() == 2);
            cut.addAll(statusBar(robot).stream()
                    .map(s -> "with two long tasks, on " + page + ": " + s).toList());
        }
        release.countDown();
        waitFor(10, () -> model.background().running().isEmpty());

        assertThat(cut).as("text cut at 1280x800").isEmpty();
    }

    private static io.pitrconsole.ui.Background.Work<Void> blocking(String message, java.util.concurrent.CountDownLatch release) {
        return (progress, cancel) -> {
            progress.progress(40, 100, message);
            release.await(60, TimeUnit.SECONDS);
            return null;
        };
    }

    @Test
    void nothingIsCutAt1920x1080(FxRobot robot) throws Exception {
        // a window of its own: sizing the shared primary stage would leave it that size for the tests after this one
        Stage primary = stage;
        Stage big = WaitForAsyncUtils.asyncFx(() -> {
            Stage s = new Stage();
            s.setScene(new MainWindow(model, Pages.create(model)).scene(1920, 1080));
            primary.hide();
            s.show();
            return s;
        }).get();
        stage = big;
        try {
            List<String> cut = new ArrayList<>();
            waitFor(30, () -> connection(robot).startsWith("connected") && model.background().running().isEmpty());
            everyPage(robot, cut);
            assertThat(cut).as("text cut at 1920x1080").isEmpty();
        } finally {
            robot.interact(big::close);
        }
    }

    @Test
    void theDashboardButtonsStayPutWhateverTheHealthSays(FxRobot robot) throws Exception {
        robot.clickOn("#nav-dashboard");
        waitFor(60, () -> robot.lookup("#dash-backup-now").query().isVisible() && model.background().running().isEmpty());
        Label level = robot.lookup("#dash-level").queryAs(Label.class);
        Node backup = robot.lookup("#dash-backup-now").query();
        List<Double> xs = new ArrayList<>();
        for (HealthLevel h : HealthLevel.values()) {
            robot.interact(() -> level.setText("Health: " + h.label().toUpperCase(Locale.ROOT)));
            WaitForAsyncUtils.waitForFxEvents();
            xs.add(backup.localToScene(0, 0).getX());
        }
        assertThat(xs).as("x of 'Back up now' for each health level").containsOnly(xs.get(0));
    }

    private void everyPage(FxRobot robot, List<String> cut) throws Exception {
        for (String page : List.of("dashboard", "backups", "recovery-timeline", "restore", "wal-archiving", "schedule", "settings")) {
            robot.clickOn("#nav-" + page);
            waitFor(60, () -> model.background().running().isEmpty());
            WaitForAsyncUtils.waitForFxEvents();
            cut.addAll(statusBarAndHeaders(robot).stream().map(s -> page + ": " + s).toList());
            if (page.equals("backups")) {
                javafx.scene.control.TableView<?> table = robot.lookup("#backup-table").queryAs(javafx.scene.control.TableView.class);
                robot.interact(() -> table.getSelectionModel().select(0));
                waitFor(20, () -> robot.lookup("#details-lsns").tryQuery().isPresent());
                cut.addAll(statusBarAndHeaders(robot).stream().map(s -> "backups with details: " + s).toList());
            }
            if (page.equals("restore")) {
                TabPane tabs = robot.lookup("#restore-tabs").queryAs(TabPane.class);
                robot.interact(() -> tabs.getSelectionModel().select(1));
                WaitForAsyncUtils.waitForFxEvents();
                cut.addAll(statusBarAndHeaders(robot).stream().map(s -> "restore history: " + s).toList());
                robot.interact(() -> tabs.getSelectionModel().select(0));
            }
        }
    }

    /** The status bar, every table header, and the one-line summaries pages are read by. */
    private List<String> statusBarAndHeaders(FxRobot robot) {
        robot.interact(() -> {
            stage.getScene().getRoot().applyCss();
            stage.getScene().getRoot().layout();
        });
        return Truncation.labeleds(stage.getScene().getRoot(), (Labeled l) -> Truncation.inside(l, "status-bar")
                || Truncation.inColumnHeader(l) || "timeline-summary".equals(l.getId()) || "dash-level".equals(l.getId()));
    }

    private List<String> statusBar(FxRobot robot) throws Exception {
        // laid out and measured in one go on the FX thread, so no text changes between the two
        return WaitForAsyncUtils.asyncFx(() -> {
            stage.getScene().getRoot().applyCss();
            stage.getScene().getRoot().layout();
            return Truncation.labeleds(stage.getScene().getRoot(), l -> Truncation.inside(l, "status-bar"));
        }).get(10, TimeUnit.SECONDS);
    }

    private static String connection(FxRobot robot) {
        return robot.lookup("#connection-state").queryAs(Label.class).getText();
    }

    private static void waitFor(int seconds, Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }
}

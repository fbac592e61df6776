package io.pitrconsole.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.ui.Background;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.ToggleButton;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

@ExtendWith(ApplicationExtension.class)
class MainWindowTest {
    @TempDir
    Path config;

    private ConsoleModel model;

    @Start
    void start(Stage stage) {
        ProfileStore store = new ProfileStore(config.resolve("profiles.json"));
        model = new ConsoleModel(Map.of(), store, new UiPreferencesStore(config.resolve("ui.json")));
        MainWindow window = new MainWindow(model, Pages.create(model));
        stage.setScene(window.scene(1100, 700));
        stage.show();
        model.reloadProfiles();
    }

    @Test
    void navigationListsTheSevenViewsAndShortcutsSwitchBetweenThem(FxRobot robot) {
        assertThat(robot.lookup("#navigation").queryAs(javafx.scene.layout.VBox.class).getChildren())
                .extracting(n -> ((ToggleButton) n).getText())
                .containsExactly(Pages.DASHBOARD, Pages.BACKUPS, Pages.TIMELINE, Pages.RESTORE, Pages.ARCHIVING,
                        Pages.SCHEDULE, Pages.SETTINGS);
        assertThat(title(robot)).isEqualTo(Pages.DASHBOARD);

        robot.press(KeyCode.CONTROL, KeyCode.DIGIT3).release(KeyCode.DIGIT3, KeyCode.CONTROL);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(title(robot)).isEqualTo(Pages.TIMELINE);
        assertThat(robot.lookup("#nav-recovery-timeline").queryAs(ToggleButton.class).isSelected()).isTrue();

        robot.clickOn("#nav-settings");
        assertThat(title(robot)).isEqualTo(Pages.SETTINGS);
        // clicking the selected entry again keeps it selected
        robot.clickOn("#nav-settings");
        assertThat(robot.lookup("#nav-settings").queryAs(ToggleButton.class).isSelected()).isTrue();
    }

    @Test
    void aFailedTaskShowsItsHintAndLogsWithoutADialog(FxRobot robot) throws Exception {
        robot.interact(() -> model.background().submit("Verifying backup_x", (p, c) -> {
            throw new PitrException("backup_x is corrupt: base/1/1259 checksum mismatch", "take a new backup");
        }, null));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#notice").tryQuery().isPresent());
        String shown = robot.lookup("#notice").queryAs(atlantafx.base.controls.Notification.class).getMessage();
        assertThat(shown).contains("Verifying backup_x: backup_x is corrupt").contains("Hint: take a new backup");
        assertThat(model.log()).anyMatch(l -> l.contains("checksum mismatch") && l.contains("take a new backup"));
        assertThat(robot.listWindows()).hasSize(1);
        assertThat(robot.lookup("#status-bar").queryAs(org.controlsfx.control.StatusBar.class).getText()).isEqualTo("idle");
    }

    @Test
    void theStatusBarsTaskListShowsEveryRunningTaskAndCancelsEachOnItsOwn(FxRobot robot) throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.List<Background.Job> tasks = new java.util.ArrayList<>();
        robot.interact(() -> {
            tasks.add(model.background().submit("Verifying backup_a", blocking(release), null));
            tasks.add(model.background().submit("Backing up itest", blocking(release), null));
        });
        org.controlsfx.control.StatusBar bar = robot.lookup("#status-bar").queryAs(org.controlsfx.control.StatusBar.class);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> "Verifying backup_a (+1 more)".equals(bar.getText())).get());

        robot.clickOn("#task-list");
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> robot.lookup("#task-progress").tryQuery().isPresent());
        org.controlsfx.control.TaskProgressView<?> list = robot.lookup("#task-progress").queryAs(org.controlsfx.control.TaskProgressView.class);
        assertThat(WaitForAsyncUtils.asyncFx(() -> list.getTasks().stream().map(javafx.concurrent.Task::getTitle).toList()).get())
                .containsExactly("Verifying backup_a", "Backing up itest");

        // the second task's own Cancel, in its row of the list
        javafx.scene.Node secondCancel = robot.from(list).lookup(".task-cancel-button").queryAll().stream().skip(1).findFirst().orElseThrow();
        robot.clickOn(secondCancel);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> tasks.get(1).isDone() && tasks.get(1).cancellingProperty().get() && "Verifying backup_a".equals(bar.getText())).get());
        assertThat(WaitForAsyncUtils.asyncFx(() -> !tasks.get(0).isDone() && !tasks.get(0).cancellingProperty().get()).get()).isTrue();
        assertThat(model.notices()).anyMatch(n -> n.message().equals("Backing up itest was cancelled"));
        release.countDown();
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(
                () -> "idle".equals(bar.getText()) && list.getTasks().isEmpty()).get());
    }

    /** Work that waits for release, or stops as a service does when its own Cancel is clicked. */
    private static Background.Work<Void> blocking(java.util.concurrent.CountDownLatch release) {
        return (progress, cancel) -> {
            progress.progress(1, 4, "working");
            java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
            cancel.onCancel(stop::countDown);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (stop.getCount() > 0 && !release.await(50, TimeUnit.MILLISECONDS) && System.nanoTime() < until) {
                // waiting for one or the other
            }
            cancel.throwIfCancelled("the test's work");
            return null;
        };
    }

    @Test
    void anUnreachableClusterShowsNotConnectedInTheStatusBar(FxRobot robot) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Profile p = new Profile("nowhere", "127.0.0.1", port, "postgres", "postgres", null, null,
                config.resolve("archive").toString(), null);
        robot.interact(() -> model.saveProfile(p, true));
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> "not connected".equals(robot.lookup("#connection-state").queryAs(Label.class).getText()));
        Node picker = robot.lookup("#profile-picker").query();
        assertThat(((javafx.scene.control.ComboBox<?>) picker).getValue()).isEqualTo(p);
        assertThat(model.notices()).anyMatch(n -> n.message().startsWith("Connecting to nowhere") && !n.hint().isBlank());
    }

    private static String title(FxRobot robot) {
        return robot.lookup("#page-title").queryAs(Label.class).getText();
    }
}

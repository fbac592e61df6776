package io.pitrconsole.ui.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Finding;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The Schedule page on a machine without cron (no crontab program on the PATH): it says so, in its own words, and fails nothing. */
@ExtendWith(ApplicationExtension.class)
class ScheduleWithoutCronPageTest {
    @TempDir
    static Path tmp;

    private ConsoleModel model;

    @Start
    void start(Stage stage) throws Exception {
        Path root = Files.createTempDirectory(tmp, "case");
        ArchiveLayout layout = new ArchiveLayout(root.resolve("archive"));
        Files.createDirectories(layout.walArchive());
        ProfileStore profiles = new ProfileStore(root.resolve("profiles.json"));
        profiles.put(new Profile("no-cron", "127.0.0.1", 1, "postgres", null, null, null, layout.root().toString(), null), true);
        Path noPrograms = Files.createDirectories(root.resolve("bin"));
        model = new ConsoleModel(Map.of("PATH", noPrograms.toString(), "PITR_SYSTEMD_DIR", root.resolve("units").toString()),
                profiles, new UiPreferencesStore(root.resolve("ui.json")));
        stage.setScene(new MainWindow(model, Pages.create(model)).scene(1100, 760));
        stage.show();
        model.reloadProfiles();
    }

    @Test
    void theJobsSayCronIsNotAvailableAndNoErrorIsRaised(FxRobot robot) throws Exception {
        robot.clickOn("#nav-schedule");
        @SuppressWarnings("unchecked")
        TableView<ScheduleViewModel.JobRow> jobs = robot.lookup("#schedule-jobs").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> jobs.getItems().size() == 2);
        assertThat(jobs.getItems()).allSatisfy(j -> assertThat(j.where()).isEqualTo("not installed (cron is not available: no crontab program on the PATH)"));
        assertThat(model.notices()).noneMatch(n -> n.level() == Notice.Level.ERROR && n.message().contains("crontab"));
    }

    @Test
    void theHealthTableAndThePagesNotesSpeakTheConsolesWords(FxRobot robot) throws Exception {
        robot.clickOn("#nav-schedule");
        // below the fold at this size: fire it as a keyboard user would
        robot.interact(() -> robot.lookup("#health-check").queryButton().fire());
        @SuppressWarnings("unchecked")
        TableView<Finding> health = robot.lookup("#health-checks").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> health.getItems().stream().anyMatch(c -> c.check().equals("newest backup")));
        Finding newest = health.getItems().stream().filter(c -> c.check().equals("newest backup")).findFirst().orElseThrow();
        @SuppressWarnings("unchecked")
        TableColumn<Finding, ?> hint = (TableColumn<Finding, ?>) health.getColumns().stream()
                .filter(c -> c.getText().equals("Hint")).findFirst().orElseThrow();

        assertThat(newest.hint()).isEqualTo("take one: 'backup create', and schedule them with 'schedule install'");
        assertThat(WaitForAsyncUtils.asyncFx(() -> String.valueOf(hint.getCellData(newest))).get())
                .isEqualTo("take one with Back up now, and schedule them on the Schedule page (Install)");
        List<String> texts = robot.lookup(n -> n instanceof Label).queryAllAs(Label.class).stream().map(Label::getText).toList();
        assertThat(texts).anyMatch(t -> t.startsWith("Stored in the archive's backup_schedule.json"))
                .noneMatch(t -> t.contains("'cleanup'") || t.contains("'backup create'"));
    }
}

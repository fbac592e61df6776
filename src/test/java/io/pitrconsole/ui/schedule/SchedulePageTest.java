package io.pitrconsole.ui.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.schedule.ScheduleConfig;
import io.pitrconsole.schedule.ScheduleStore;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The schedule page on an archive with four daily backups written through the catalog format
 * (as CleanupPlannerTest does): the retention edit lands in backup_schedule.json, the preview lists
 * what a cleanup would remove, cron jobs go into a temp crontab only, and health shows the CLI's checks.
 */
@ExtendWith(ApplicationExtension.class)
class SchedulePageTest {
    private static final long SEG = 16L * 1024 * 1024;

    @TempDir
    static Path tmp;

    private ConsoleModel model;
    private ArchiveLayout layout;
    private Path crontab;
    private Path units;
    private final String[] ids = new String[4];
    private static final java.time.format.DateTimeFormatter ID =
            java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss").withZone(java.time.ZoneOffset.UTC);

    @Start
    void start(Stage stage) throws Exception {
        Path root = Files.createTempDirectory(tmp, "case");
        layout = new ArchiveLayout(root.resolve("archive"));
        crontab = root.resolve("crontab");
        units = root.resolve("units");
        Files.createDirectories(layout.walArchive());
        Instant today = Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(2));
        for (int i = 0; i < 4; i++) {
            Instant start = today.minus(Duration.ofDays(3 - i));
            ids[i] = "backup_" + ID.format(start);
            backup(ids[i], 0x10 * (i + 1), start, 1000 * (i + 1));
        }
        for (int s = 0x08; s <= 0x48; s++) {
            Files.write(layout.walArchive().resolve(String.format("0000000100000000%08X", s)), new byte[10]);
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        ProfileStore profiles = new ProfileStore(root.resolve("profiles.json"));
        profiles.put(new Profile("archive-only", "127.0.0.1", closedPort, "postgres", null, null, null,
                layout.root().toString(), null), true);
        model = new ConsoleModel(Map.of("PITR_CRONTAB_FILE", crontab.toString(), "PITR_SYSTEMD_DIR", units.toString()),
                profiles, new UiPreferencesStore(root.resolve("ui.json")));
        MainWindow window = new MainWindow(model, Pages.create(model));
        stage.setScene(window.scene(1100, 760));
        stage.show();
        model.reloadProfiles();
    }

    private void backup(String id, long startSegment, Instant start, int bytes) throws Exception {
        Files.createDirectories(layout.backupDir(id));
        Files.write(layout.backupDir(id).resolve("base.tar.zst"), new byte[bytes]);
        Files.write(layout.backupJson(id), Json.mapper().writeValueAsBytes(new BackupRecord(1, id, id, BackupStatus.COMPLETE, start,
                start.plusSeconds(30), "backup-history-file", new Lsn(startSegment * SEG + 0x28), new Lsn(startSegment * SEG + 0x138),
                new Lsn(startSegment * SEG + 0x60), 1, "15.8", "1", SEG, Compression.ZSTD, bytes, bytes * 3L, "localhost", 5432,
                List.of(), List.of("base.tar.zst"), 30.0, null, null, null)));
    }

    @Test
    void retentionEditIsSavedAndThePreviewListsWhatACleanupWouldRemove(FxRobot robot) throws Exception {
        robot.clickOn("#nav-schedule");
        @SuppressWarnings("unchecked")
        Spinner<Integer> daily = robot.lookup("#retention-daily").queryAs(Spinner.class);
        assertThat(daily.getValue()).isEqualTo(ScheduleConfig.defaults().retention().daily());
        setSpinner(robot, "#retention-daily", "2");
        setSpinner(robot, "#retention-weekly", "0");
        setSpinner(robot, "#retention-monthly", "0");
        TextField time = robot.lookup("#schedule-backup-time").queryAs(TextField.class);
        robot.interact(() -> {
            time.requestFocus();
            time.selectAll();
        });
        robot.write("01:30");
        robot.clickOn("#schedule-save");

        assertThat(layout.scheduleFile()).exists();
        ScheduleConfig saved = new ScheduleStore(LocalDirectoryRepository.at(layout.root())).load();
        assertThat(saved.retention().daily()).isEqualTo(2);
        assertThat(saved.retention().weekly()).isZero();
        assertThat(saved.retention().monthly()).isZero();
        assertThat(saved.backup().time()).isEqualTo("01:30");
        assertThat(saved.cleanup()).isEqualTo(ScheduleConfig.defaults().cleanup());

        robot.clickOn("#cleanup-preview");
        @SuppressWarnings("unchecked")
        TableView<ScheduleViewModel.Removal> table = robot.lookup("#cleanup-table").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> robot.lookup("#cleanup-total").queryAs(Label.class).getText().startsWith("A cleanup"));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getItems().stream().filter(r -> r.kind().equals("backup")).map(ScheduleViewModel.Removal::name))
                .containsExactlyInAnyOrder(ids[0], ids[1]);
        // WAL before the oldest kept backup (the third starts in segment 0x30) goes; its own segment stays
        assertThat(table.getItems().stream().filter(r -> r.kind().equals("wal")).map(ScheduleViewModel.Removal::name))
                .contains("000000010000000000000008", "00000001000000000000002F")
                .doesNotContain("000000010000000000000030");
        assertThat(robot.lookup("#cleanup-total").queryAs(Label.class).getText())
                .startsWith("A cleanup now would remove 2 backups and ");
        assertThat(layout.backupDir(ids[0])).isDirectory();
    }

    @Test
    void cronInstallWritesOnlyTheConfiguredCrontabShowsNextRunsAndRemoveTakesItOut(FxRobot robot) throws Exception {
        Files.writeString(crontab, "# mine\n15 4 * * * /usr/local/bin/rotate-logs\n");
        robot.clickOn("#nav-schedule");
        @SuppressWarnings("unchecked")
        TableView<ScheduleViewModel.JobRow> jobs = robot.lookup("#schedule-jobs").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> jobs.getItems().size() == 2);
        assertThat(jobs.getItems()).allMatch(j -> j.where().equals("not installed"));

        robot.clickOn("#schedule-install");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS,
                () -> jobs.getItems().size() == 2 && jobs.getItems().stream().allMatch(j -> j.where().startsWith("cron")));
        String text = Files.readString(crontab);
        assertThat(text).startsWith("# mine\n15 4 * * * /usr/local/bin/rotate-logs\n")
                .contains("'backup' 'create' '--archive' '" + layout.root() + "'")
                .contains("'-h' '127.0.0.1'").contains("'cleanup' '--yes'");
        assertThat(jobs.getItems()).extracting(ScheduleViewModel.JobRow::name).containsExactlyInAnyOrder("backup", "cleanup");
        assertThat(jobs.getItems()).allMatch(j -> j.nextRun().isAfter(java.time.ZonedDateTime.now()));

        robot.clickOn("#schedule-remove");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> jobs.getItems().stream().allMatch(j -> j.where().equals("not installed")));
        assertThat(Files.readString(crontab)).isEqualTo("# mine\n15 4 * * * /usr/local/bin/rotate-logs\n");

        // systemd timers go into the configured units directory, never /etc/systemd/system
        @SuppressWarnings("unchecked")
        javafx.scene.control.ComboBox<ScheduleViewModel.Scheduler> kind = robot.lookup("#schedule-kind").queryAs(javafx.scene.control.ComboBox.class);
        robot.interact(() -> kind.setValue(ScheduleViewModel.Scheduler.SYSTEMD));
        robot.clickOn("#schedule-install");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> jobs.getItems().stream().allMatch(j -> j.where().startsWith("systemd")));
        try (var files = Files.list(units)) {
            assertThat(files.map(p -> p.getFileName().toString()).toList()).hasSize(4)
                    .anyMatch(n -> n.startsWith("pitr-console-backup-") && n.endsWith(".timer"));
        }
        robot.clickOn("#schedule-remove");
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> jobs.getItems().stream().allMatch(j -> j.where().equals("not installed")));
        try (var files = Files.list(units)) {
            assertThat(files.toList()).isEmpty();
        }
    }

    @Test
    void healthShowsTheCliChecksWithLevelsAndHints(FxRobot robot) throws Exception {
        robot.clickOn("#nav-schedule");
        @SuppressWarnings("unchecked")
        TableView<Finding> checks = robot.lookup("#health-checks").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !checks.getItems().isEmpty());
        assertThat(checks.getItems()).extracting(Finding::check).contains("newest backup", "newest WAL", "WAL gaps", "archiver");
        // the profile's server is not running: the archiver check says so and hints what to do
        Finding archiver = checks.getItems().stream().filter(c -> c.check().equals("archiver")).findFirst().orElseThrow();
        assertThat(io.pitrconsole.schedule.HealthLevel.of(archiver.level())).isNotEqualTo(io.pitrconsole.schedule.HealthLevel.OK);
        assertThat(archiver.hint()).isNotBlank();
        Finding server = checks.getItems().stream().filter(c -> c.check().equals("server")).findFirst().orElseThrow();
        assertThat(io.pitrconsole.schedule.HealthLevel.of(server.level())).isEqualTo(io.pitrconsole.schedule.HealthLevel.CRITICAL);
        assertThat(server.detail()).startsWith("cannot reach the server");
        assertThat(robot.lookup("#health-status").queryAs(Label.class).getText()).startsWith("Health: ");

        // without a profile nothing of the previous cluster stays on the page
        robot.interact(() -> model.activate(null));
        assertThat(checks.getItems()).isEmpty();
        assertThat(robot.lookup("#schedule-state").queryAs(Label.class).getText()).startsWith("No cluster profile");
        assertThat(robot.lookup("#health-status").queryAs(Label.class).getText()).isEqualTo("Not checked yet.");
    }

    private static void setSpinner(FxRobot robot, String id, String value) {
        Spinner<?> s = robot.lookup(id).queryAs(Spinner.class);
        // focus by request, not by click: the error notice of the unreachable server may cover the field
        robot.interact(() -> {
            s.getEditor().requestFocus();
            s.getEditor().selectAll();
        });
        robot.write(value).type(KeyCode.ENTER);
        assertThat(String.valueOf(s.getValue())).as("editor text " + s.getEditor().getText()).isEqualTo(value);
    }
}

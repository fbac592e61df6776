package io.pitrconsole.ui.shell;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.practice.PracticeLayout;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Page;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.backups.BackupRow;
import io.pitrconsole.ui.backups.BackupsPage;
import io.pitrconsole.ui.dashboard.DashboardPage;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * Switching the active profile in the status bar: the page on show reloads for the new profile,
 * hidden pages start no work (every service call runs as a task through the console's task runner,
 * whose titles are recorded here) and forget the old profile's data, and a hidden page shows the
 * new profile's data when it is opened. Two archives, each with one backup whose backup.json is
 * unreadable (listed by its id), and a port nobody listens on: no server is needed.
 */
@ExtendWith(ApplicationExtension.class)
class ProfileSwitchTest {
    private static final String ALPHA_BACKUP = "backup_20261101_010000";
    private static final String BETA_BACKUP = "backup_20261102_020000";

    @TempDir
    Path dir;

    private ConsoleModel model;
    private DashboardPage dashboard;
    private BackupsPage backups;
    private final List<String> started = new CopyOnWriteArrayList<>();

    @Start
    void start(Stage stage) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProfileStore store = new ProfileStore(dir.resolve("profiles.json"));
        store.put(profile("alpha", port, archive("alpha", ALPHA_BACKUP)), true);
        store.put(profile("beta", port, archive("beta", BETA_BACKUP)), false);
        model = new ConsoleModel(Map.of(), store, new UiPreferencesStore(dir.resolve("ui.json")),
                new PracticeLayout(dir.resolve("practice")));
        List<Page> pages = Pages.create(model);
        dashboard = pages.stream().filter(DashboardPage.class::isInstance).map(DashboardPage.class::cast).findFirst().orElseThrow();
        backups = pages.stream().filter(BackupsPage.class::isInstance).map(BackupsPage.class::cast).findFirst().orElseThrow();
        model.background().running().addListener((ListChangeListener<Task<?>>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(t -> started.add(t.getTitle()));
            }
        });
        MainWindow window = new MainWindow(model, pages);
        stage.setScene(window.scene(1100, 700));
        stage.show();
        model.reloadProfiles();
    }

    @Test
    void theCurrentPageReloadsForTheNewProfileAndHiddenPagesDoNoWorkButShowItWhenOpened(FxRobot robot) throws Exception {
        // alpha is active; every page has been shown once, so each one has its view and has read alpha
        waitFor(() -> dashboard.viewModel().summaryProperty().get() != null && idle());
        for (String nav : List.of("#nav-recovery-timeline", "#nav-restore", "#nav-wal-archiving", "#nav-schedule", "#nav-settings",
                "#nav-backups")) {
            robot.clickOn(nav);
            waitFor(this::idle);
        }
        waitFor(() -> tableIds(robot).equals(List.of(ALPHA_BACKUP)) && idle());
        assertThat(dashboard.viewModel().summaryProperty().get()).isNotNull();

        // switch to beta while on Backups
        started.clear();
        robot.interact(() -> picker(robot).setValue(named("beta")));
        // at once, before any task ends: the hidden dashboard no longer holds alpha's summary
        assertThat(dashboard.viewModel().summaryProperty().get()).isNull();
        waitFor(() -> tableIds(robot).equals(List.of(BETA_BACKUP)) && idle());
        // only the page on show read anything (and the status bar checked the connection)
        assertThat(started).containsExactlyInAnyOrder("Connecting to beta", "Reading the encryption of beta's archive", "Listing backups",
                "Computing recovery windows");
        assertThat(dashboard.viewModel().summaryProperty().get()).isNull();

        // the dashboard reads beta when opened
        started.clear();
        robot.clickOn("#nav-dashboard");
        waitFor(() -> dashboard.viewModel().summaryProperty().get() != null && idle());
        assertThat(started).contains("Reading the dashboard");

        // back to alpha while on the Dashboard: the hidden backups page drops beta's rows and lists nothing
        List<String> listedSince = new ArrayList<>();
        backups.viewModel().allRows().addListener((ListChangeListener<BackupRow>) c -> {
            while (c.next()) {
                c.getAddedSubList().forEach(r -> listedSince.add(r.id()));
            }
        });
        started.clear();
        robot.interact(() -> picker(robot).setValue(named("alpha")));
        assertThat(backups.viewModel().allRows()).isEmpty();
        waitFor(() -> dashboard.viewModel().summaryProperty().get() != null && idle());
        // the dashboard's refresh also looks for the practice cluster, and reads the archive's encryption before the archive
        assertThat(started).containsExactlyInAnyOrder("Connecting to alpha", "Reading the encryption of alpha's archive", "Reading the dashboard",
                "Looking for the practice cluster");
        assertThat(backups.viewModel().allRows()).isEmpty();

        // opened, it shows alpha's backup, and beta's never appeared on the way
        robot.clickOn("#nav-backups");
        waitFor(() -> tableIds(robot).equals(List.of(ALPHA_BACKUP)) && idle());
        assertThat(listedSince).containsOnly(ALPHA_BACKUP);
    }

    private Path archive(String name, String backupId) throws Exception {
        Path archive = dir.resolve(name);
        Files.createDirectories(archive.resolve("wal_archive"));
        Files.createDirectories(archive.resolve(backupId));
        Files.writeString(archive.resolve(backupId).resolve("backup.json"), "{ not json");
        return archive;
    }

    private static Profile profile(String name, int port, Path archive) {
        return new Profile(name, "127.0.0.1", port, "postgres", "postgres", null, null, archive.toString(), null);
    }

    private Profile named(String name) {
        return model.profiles().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
    }

    @SuppressWarnings("unchecked")
    private static ComboBox<Profile> picker(FxRobot robot) {
        return robot.lookup("#profile-picker").queryAs(ComboBox.class);
    }

    private static List<String> tableIds(FxRobot robot) {
        return robot.lookup("#backup-table").queryAs(TableView.class).getItems().stream().map(r -> ((BackupRow) r).id()).toList();
    }

    private boolean idle() {
        return model.background().running().isEmpty();
    }

    private static void waitFor(Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }
}

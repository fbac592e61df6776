package io.pitrconsole.ui.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.VBox;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** The backups view against a real cluster: create from the dialog, verify, see corruption, delete; every view opens. */
@ExtendWith(ApplicationExtension.class)
class BackupsPageTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @TempDir
    Path config;

    private ConsoleModel model;
    private BackupsViewModel backups;

    @Start
    void start(Stage stage) {
        PgTestCluster c = pg.cluster();
        ProfileStore store = new ProfileStore(config.resolve("profiles.json"));
        store.put(new Profile("it", "127.0.0.1", c.port(), PgTestCluster.SUPERUSER, "postgres", c.dataDir().toString(),
                null, c.archiveDir().toString(), c.installation().binDir().toString()), true);
        model = new ConsoleModel(Map.of(), store, new UiPreferencesStore(config.resolve("ui.json")));
        model.savePreferences(model.preferencesProperty().get().withDefaults("gzip", 24));
        List<io.pitrconsole.ui.Page> pages = Pages.create(model);
        backups = pages.stream().filter(p -> p instanceof BackupsPage).map(p -> ((BackupsPage) p).viewModel()).findFirst().orElseThrow();
        MainWindow window = new MainWindow(model, pages);
        stage.setScene(window.scene(1200, 800));
        stage.show();
        model.reloadProfiles();
    }

    @Test
    void createVerifyCorruptAndDeleteABackupFromTheBackupsView(FxRobot robot) throws Exception {
        robot.clickOn("#nav-backups");
        TableView<?> table = robot.lookup("#backup-table").queryAs(TableView.class);
        await(20, TimeUnit.SECONDS, () -> model.background().running().isEmpty());
        int before = table.getItems().size();

        // Ctrl+B opens the same dialog; the compression defaults to the preference
        robot.press(KeyCode.CONTROL, KeyCode.B).release(KeyCode.B, KeyCode.CONTROL);
        await(10, TimeUnit.SECONDS, () -> robot.lookup("#create-label").tryQuery().isPresent());
        assertThat(robot.lookup("#create-compression").queryAs(ComboBox.class).getValue().toString()).isEqualTo("gzip");
        robot.clickOn("#create-label").write("before the upgrade");
        robot.clickOn("#create-ok");

        await(120, TimeUnit.SECONDS, () -> rows(table).size() == before + 1 && model.background().running().isEmpty());
        BackupRow row = rows(table).stream().filter(r -> "before the upgrade".equals(r.label())).findFirst().orElseThrow();
        assertThat(row.status()).isEqualTo("complete");
        assertThat(row.label()).isEqualTo("before the upgrade");
        assertThat(row.compression()).isEqualTo("gzip");
        assertThat(Files.isDirectory(pg.cluster().archiveDir().resolve(row.id()))).isTrue();
        // the new row's cells are laid out at a pulse after the row arrives: on a busy machine, not at once
        await(10, TimeUnit.SECONDS, () -> robot.lookup((javafx.scene.Node n) -> n instanceof javafx.scene.control.TableCell<?, ?> cell
                && cell.getTableColumn() != null && "Verified".equals(cell.getTableColumn().getText()) && cell.getIndex() >= 0
                && cell.getIndex() < table.getItems().size()).queryAllAs(javafx.scene.control.TableCell.class).stream()
                .anyMatch(c -> "never".equals(c.getText())));

        // as a user does: wait until the reload that followed the backup is over (the spinner gone),
        // click the row once, and wait for it to be selected and its details read
        await(30, TimeUnit.SECONDS, () -> onFx(() -> !backups.loadingProperty().get() && model.background().running().isEmpty()));
        // on a starved machine a click can land on a cell laid out before the reload's last pulse:
        // look the cell up again after the pending events and click again, as a user would
        for (int attempt = 1; ; attempt++) {
            WaitForAsyncUtils.waitForFxEvents();
            javafx.scene.Node idCell = robot.lookup((javafx.scene.Node n) -> n instanceof javafx.scene.control.TableCell<?, ?> cell
                    && row.id().equals(cell.getText())).query();
            robot.clickOn(idCell);
            try {
                await(10, TimeUnit.SECONDS, () -> onFx(() -> backups.selectedProperty().get() != null
                        && row.id().equals(backups.selectedProperty().get().id())));
                break;
            } catch (AssertionError notSelected) {
                if (attempt == 3) {
                    throw notSelected;
                }
            }
        }
        await(20, TimeUnit.SECONDS, () -> onFx(() -> backups.detailsProperty().get() != null && !backups.loadingProperty().get()));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(text(robot, "#details-id")).isEqualTo(row.id());
        assertThat(text(robot, "#details-manifest")).contains("files").contains("checksum valid");
        assertThat(text(robot, "#details-folder")).isEqualTo(pg.cluster().archiveDir().resolve(row.id()).toString());

        robot.clickOn("#backup-verify");
        await(60, TimeUnit.SECONDS, () -> status(table, row.id()).equals("verified"));
        await(20, TimeUnit.SECONDS, () -> text(robot, "#details-verified").contains("files match"));

        // a flipped byte in the compressed tar: verify says corrupt and the details list the file
        Path tar = pg.cluster().archiveDir().resolve(row.id()).resolve("base.tar.gz");
        try (RandomAccessFile f = new RandomAccessFile(tar.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0xFF);
        }
        robot.clickOn("#backup-verify");
        await(60, TimeUnit.SECONDS, () -> status(table, row.id()).equals("corrupt"));
        await(20, TimeUnit.SECONDS, () -> robot.lookup("#details-problems").tryQuery().isPresent());
        VBox problems = robot.lookup("#details-problems").queryAs(VBox.class);
        assertThat(problems.getChildren()).isNotEmpty();
        assertThat(problems.getChildren()).anyMatch(n -> ((Label) n).getText().contains("base.tar.gz"));

        robot.clickOn("#backup-delete");
        await(10, TimeUnit.SECONDS, () -> robot.lookup("#delete-ok").tryQuery().isPresent());
        robot.clickOn("#delete-ok");
        await(30, TimeUnit.SECONDS, () -> rows(table).size() == before && model.background().running().isEmpty());
        assertThat(Files.exists(pg.cluster().archiveDir().resolve(row.id()))).isFalse();
    }

    @Test
    void cancellingARunningBackupLeavesAFailedRecordWithoutPartialFiles(FxRobot robot) throws Exception {
        robot.clickOn("#nav-backups");
        TableView<?> table = robot.lookup("#backup-table").queryAs(TableView.class);
        await(20, TimeUnit.SECONDS, () -> model.background().running().isEmpty());
        robot.clickOn("#backup-create");
        await(10, TimeUnit.SECONDS, () -> robot.lookup("#create-label").tryQuery().isPresent());
        robot.clickOn("#create-label").write("cancelled one");
        // slow enough to be caught copying
        robot.clickOn("#create-max-rate").write("256k");
        robot.clickOn("#create-ok");
        await(60, TimeUnit.SECONDS, () -> text(robot, "#backup-progress-message").contains("copying"));
        robot.clickOn("#backup-progress-cancel");
        await(60, TimeUnit.SECONDS, () -> model.background().running().isEmpty()
                && rows(table).stream().anyMatch(r -> "cancelled one".equals(r.label())));

        BackupRow row = rows(table).stream().filter(r -> "cancelled one".equals(r.label())).findFirst().orElseThrow();
        assertThat(row.status()).isEqualTo("failed");
        assertThat(model.notices()).anyMatch(n -> n.message().contains("was cancelled"));
        try (var files = Files.list(pg.cluster().archiveDir().resolve(row.id()))) {
            assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("backup.json");
        }
        assertThat(robot.lookup("#backup-create").query().isDisabled()).isFalse();
        assertThat(robot.lookup("#backup-progress").query().isVisible()).isFalse();
    }

    @Test
    void filterNarrowsTheTableAndEveryViewOpens(FxRobot robot) throws Exception {
        // the dashboard's "Back up now" leads to the same dialog on the Backups view
        assertThat(text(robot, "#page-title")).isEqualTo(Pages.DASHBOARD);
        await(30, TimeUnit.SECONDS, () -> !robot.lookup("#dash-backup-now").query().isDisabled() && model.background().running().isEmpty());
        robot.clickOn("#dash-backup-now");
        await(10, TimeUnit.SECONDS, () -> robot.lookup("#create-label").tryQuery().isPresent());
        assertThat(text(robot, "#page-title")).isEqualTo(Pages.BACKUPS);
        robot.clickOn("#create-label").write("nightly");
        robot.clickOn("#create-ok");
        TableView<?> table = robot.lookup("#backup-table").queryAs(TableView.class);
        await(120, TimeUnit.SECONDS, () -> !rows(table).isEmpty()
                && rows(table).stream().anyMatch(r -> "nightly".equals(r.label())) && model.background().running().isEmpty());

        // the filter sits in the top-right corner, under the notifications until they fade
        await(20, TimeUnit.SECONDS, () -> robot.lookup("#notice").tryQuery().isEmpty());
        robot.clickOn("#backup-filter").write("nightly");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(rows(table)).isNotEmpty().allMatch(r -> "nightly".equals(r.label()));
        robot.lookup("#backup-filter").queryAs(TextField.class).clear();
        robot.clickOn("#backup-filter").write("no-such-backup");
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(rows(table)).isEmpty();

        for (String page : List.of(Pages.DASHBOARD, Pages.BACKUPS, Pages.TIMELINE, Pages.RESTORE, Pages.ARCHIVING,
                Pages.SCHEDULE, Pages.SETTINGS)) {
            robot.clickOn("#nav-" + page.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
            assertThat(text(robot, "#page-title")).isEqualTo(page);
        }
        assertThat(robot.listWindows()).hasSize(1);
    }

    /** Reads console state on the FX thread, where it changes. */
    private static boolean onFx(java.util.concurrent.Callable<Boolean> read) throws Exception {
        return WaitForAsyncUtils.asyncFx(read).get();
    }

    /** Waits for the condition; on timeout the failure carries the console's log, which says what happened instead. */
    private void await(long seconds, TimeUnit unit, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(seconds, unit, condition);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out; running: " + model.background().running().stream().map(t -> t.getTitle() + " " + t.getMessage()).toList()
                    + "; console log:\n" + String.join("\n", List.copyOf(model.log())), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static List<BackupRow> rows(TableView<?> table) {
        return List.copyOf((List<BackupRow>) table.getItems());
    }

    private static String status(TableView<?> table, String id) {
        return rows(table).stream().filter(r -> r.id().equals(id)).map(BackupRow::status).findFirst().orElse("");
    }

    private static String text(FxRobot robot, String id) {
        // absent (being rebuilt) reads as empty, so waits keep polling instead of failing
        return robot.lookup(id).tryQuery().map(n -> ((Label) n).getText()).orElse("");
    }
}

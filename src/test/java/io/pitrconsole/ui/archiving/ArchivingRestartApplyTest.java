package io.pitrconsole.ui.archiving;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archiving.SettingComparison;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.DialogPane;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** A server with archiving off: Apply warns that a restart is needed, and "Apply and restart" turns archiving on. */
@ExtendWith(ApplicationExtension.class)
class ArchivingRestartApplyTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of(
            "wal_level", "minimal", "archive_mode", "off", "max_wal_senders", "0", "archive_command", "''"));

    @TempDir
    Path config;

    private ConsoleModel model;

    @Start
    void start(Stage stage) {
        model = new ConsoleModel(Map.of(), new ProfileStore(config.resolve("profiles.json")),
                new UiPreferencesStore(config.resolve("ui.json")));
        stage.setScene(new MainWindow(model, Pages.create(model)).scene(1100, 760));
        stage.show();
    }

    @Test
    void applyWarnsAboutTheRestartAndApplyAndRestartTurnsArchivingOn(FxRobot robot) throws Exception {
        PgTestCluster c = pg.cluster();
        robot.interact(() -> model.saveProfile(new Profile("off", "127.0.0.1", c.port(), PgTestCluster.SUPERUSER, null,
                c.dataDir().toString(), null, c.archiveDir().toString(), c.installation().binDir().toString()), true));
        robot.clickOn("#nav-wal-archiving");
        @SuppressWarnings("unchecked")
        TableView<SettingComparison> table = robot.lookup("#archiving-settings").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> table.getItems().size() == 5);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(table.getItems()).filteredOn(s -> s.name().equals("archive_mode")).singleElement()
                .satisfies(s -> assertThat(ArchivingPage.status(s)).isEqualTo("change (needs restart)"));

        robot.clickOn("#archiving-apply");
        DialogPane dialog = robot.lookup("#apply-dialog").queryAs(DialogPane.class);
        assertThat(dialog.getHeaderText()).contains("restart");
        assertThat(dialog.getContentText()).contains("wal_level = 'replica' (now 'minimal')").contains("WAL is NOT archived");
        robot.clickOn("#apply-restart");

        WaitForAsyncUtils.waitFor(180, TimeUnit.SECONDS, () -> table.getItems().size() == 5
                && table.getItems().stream().allMatch(s -> s.satisfied() && !s.pendingRestart()));
        assertThat(c.queryOne("SHOW archive_mode")).isEqualTo("on");
        assertThat(c.queryOne("SHOW wal_level")).isEqualTo("replica");
        assertThat(model.notices()).anyMatch(n -> n.message().contains("server restarted"));
    }
}

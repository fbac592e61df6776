package io.pitrconsole.ui.archiving;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archiving.HourlyCount;
import io.pitrconsole.archiving.SettingComparison;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Finding;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.chart.BarChart;
import javafx.scene.control.DialogPane;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
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

/**
 * The archiving page against a real cluster whose archive_command is not the console's: the table
 * says so, Apply (no restart needed) puts the script in place, and Verify then passes every check.
 */
@ExtendWith(ApplicationExtension.class)
class ArchivingPageTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @TempDir
    Path config;

    private ConsoleModel model;
    private MainWindow window;

    @Start
    void start(Stage stage) {
        model = new ConsoleModel(Map.of(), new ProfileStore(config.resolve("profiles.json")),
                new UiPreferencesStore(config.resolve("ui.json")));
        window = new MainWindow(model, Pages.create(model));
        stage.setScene(window.scene(1100, 760));
        stage.show();
    }

    @Test
    void applyPutsTheScriptInPlaceAndVerifyShowsPassingChecks(FxRobot robot) throws Exception {
        PgTestCluster c = pg.cluster();
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        robot.interact(() -> model.saveProfile(new Profile("it", "127.0.0.1", c.port(), PgTestCluster.SUPERUSER, null,
                c.dataDir().toString(), null, c.archiveDir().toString(), c.installation().binDir().toString()), true));
        click(robot, "#nav-wal-archiving");
        @SuppressWarnings("unchecked")
        TableView<SettingComparison> table = robot.lookup("#archiving-settings").queryAs(TableView.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> table.getItems().size() == 5);
        assertThat(table.getItems()).extracting(SettingComparison::name)
                .containsExactly("wal_level", "archive_mode", "archive_command", "archive_timeout", "archive_library");
        SettingComparison command = table.getItems().get(2);
        assertThat(command.satisfied()).isFalse();
        assertThat(ArchivingPage.status(command)).isEqualTo("change");
        assertThat(ArchivingPage.status(table.getItems().get(0))).isEqualTo("ok");
        assertThat(robot.lookup("#stat-archived").queryAs(Label.class).getText()).doesNotStartWith("0 ").doesNotStartWith("-");

        click(robot, "#archiving-apply");
        DialogPane dialog = robot.lookup("#apply-dialog").queryAs(DialogPane.class);
        assertThat(dialog.getContentText()).contains("archive_command").doesNotContain("NOT archived");
        assertThat(robot.lookup("#apply-restart").tryQuery()).isEmpty();
        click(robot, "#apply-confirm");
        WaitForAsyncUtils.waitFor(60, TimeUnit.SECONDS,
                () -> table.getItems().size() == 5 && table.getItems().stream().allMatch(SettingComparison::satisfied));

        click(robot, "#archiving-verify");
        VBox findings = robot.lookup("#archiving-findings").queryAs(VBox.class);
        Label summary = robot.lookup("#archiving-verify-summary").queryAs(Label.class);
        // the findings' rows appear a moment before the summary says what they add up to
        WaitForAsyncUtils.waitFor(90, TimeUnit.SECONDS, () -> !findings.getChildren().isEmpty() && !summary.getText().startsWith("verifying"));
        WaitForAsyncUtils.waitForFxEvents();
        List<Finding> shown = findings.getChildren().stream().map(n -> (Finding) n.getUserData()).toList();
        assertThat(shown).extracting(Finding::check).contains("wal_level", "archive_mode", "archive_command",
                "archive writable", "segment archived", "archiver");
        assertThat(shown).as(shown.toString()).allMatch(f -> f.level() == Finding.Level.PASS);
        assertThat(robot.lookup("#finding-segment-archived").query().getStyleClass()).contains("finding-pass");
        assertThat(summary.getText()).startsWith("All ").endsWith("checks passed");

        // the segment switched before the test and the one verify forced are both in the last 24 hours' bars
        @SuppressWarnings("unchecked")
        BarChart<String, Number> chart = robot.lookup("#archiving-chart").queryAs(BarChart.class);
        ArchivingViewModel vm = ((ArchivingPage) window.currentPage()).viewModel();
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> vm.activity().stream().mapToLong(HourlyCount::segments).sum() >= 2);
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.activity()).hasSize(24);
        assertThat(chart.getData().get(0).getData()).hasSize(24);
        assertThat(chart.getData().get(0).getData().stream().mapToLong(d -> d.getYValue().longValue()).sum())
                .isEqualTo(vm.activity().stream().mapToLong(HourlyCount::segments).sum());
        // after Verify's checklist the chart's buttons sit below the fold: scroll down to them, as a user would
        robot.interact(() -> {
            for (javafx.scene.Node n = robot.lookup("#activity-48").query(); n != null; n = n.getParent()) {
                if (n instanceof javafx.scene.control.ScrollPane sp) {
                    sp.setVvalue(sp.getVmax());
                }
            }
        });
        WaitForAsyncUtils.waitForFxEvents();
        click(robot, "#activity-48");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> chart.getData().get(0).getData().size() == 48);
    }

    /**
     * Finds the node on the FX thread, then clicks it: the page redraws parts of itself while its
     * background work ends, and a scene walked from the test's thread meanwhile can fail midway.
     */
    private static void click(FxRobot robot, String query) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        javafx.scene.Node node = WaitForAsyncUtils.asyncFx(() -> robot.lookup(query).<javafx.scene.Node>query()).get(10, TimeUnit.SECONDS);
        robot.clickOn(node);
    }
}

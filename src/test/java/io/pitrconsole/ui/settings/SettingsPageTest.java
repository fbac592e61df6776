package io.pitrconsole.ui.settings;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferences;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Settings against a real cluster: a profile added through the dialog connects, and the theme switch applies at once. */
@ExtendWith(ApplicationExtension.class)
class SettingsPageTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @TempDir
    Path config;

    private ConsoleModel model;

    @Start
    void start(Stage stage) {
        model = new ConsoleModel(Map.of(), new ProfileStore(config.resolve("profiles.json")),
                new UiPreferencesStore(config.resolve("ui.json")));
        MainWindow window = new MainWindow(model, Pages.create(model));
        stage.setScene(window.scene(1100, 760));
        stage.show();
        model.reloadProfiles();
    }

    @Test
    void aProfileAddedInTheDialogTestsItsConnectionAndBecomesTheConnectedCluster(FxRobot robot) throws Exception {
        PgTestCluster c = pg.cluster();
        robot.clickOn("#nav-settings");
        robot.clickOn("#profile-add");
        assertThat(robot.lookup("#profile-password-note").queryAs(Label.class).getText()).contains("~/.pgpass").contains("PGPASSFILE");
        assertThat(robot.lookup(".dialog-pane .password-field").tryQuery()).isEmpty();
        type(robot, "#profile-name", "test-cluster");
        type(robot, "#profile-host", "127.0.0.1");
        type(robot, "#profile-port", String.valueOf(c.port()));
        type(robot, "#profile-user", PgTestCluster.SUPERUSER);
        type(robot, "#profile-archive", c.archiveDir().toString());
        type(robot, "#profile-data-dir", c.dataDir().toString());

        robot.clickOn("#profile-test");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#profile-test-result").queryAs(javafx.scene.control.TextInputControl.class).getText().startsWith("Connected"));
        String version = c.queryOne("SELECT split_part(current_setting('server_version'), ' ', 1)");
        assertThat(robot.lookup("#profile-test-result").queryAs(javafx.scene.control.TextInputControl.class).getText())
                .contains("PostgreSQL " + version).contains("timeline 1");

        robot.clickOn("#profile-save");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#connection-state").queryAs(Label.class).getText().startsWith("connected"));
        assertThat(robot.lookup("#connection-state").queryAs(Label.class).getText()).contains("PostgreSQL " + version);
        Profile saved = new ProfileStore(config.resolve("profiles.json")).find("test-cluster").orElseThrow();
        assertThat(saved.port()).isEqualTo(c.port());
        assertThat(saved.archive()).isEqualTo(c.archiveDir().toString());
        assertThat(Files.readString(config.resolve("profiles.json"))).doesNotContainIgnoringCase("password");
        @SuppressWarnings("unchecked")
        ListView<Profile> list = robot.lookup("#profile-list").queryAs(ListView.class);
        assertThat(list.getItems()).extracting(Profile::name).containsExactly("test-cluster");
    }

    @Test
    void makeDefaultAndRemoveChangeOnlyTheProfilesFile(FxRobot robot) throws Exception {
        Path archive = java.nio.file.Files.createDirectories(config.resolve("archive-b"));
        java.nio.file.Files.writeString(archive.resolve("backup_schedule.json"), "{}");
        robot.interact(() -> {
            model.saveProfile(new Profile("a", "127.0.0.1", 1, null, null, null, null, null, null), true);
            model.saveProfile(new Profile("b", "127.0.0.1", 1, null, null, null, null, archive.toString(), null), false);
        });
        robot.clickOn("#nav-settings");
        @SuppressWarnings("unchecked")
        ListView<Profile> list = robot.lookup("#profile-list").queryAs(ListView.class);
        assertThat(list.getItems()).extracting(Profile::name).containsExactly("a", "b");
        ProfileStore store = new ProfileStore(config.resolve("profiles.json"));
        assertThat(store.load().defaultProfile()).isEqualTo("a");

        robot.interact(() -> list.getSelectionModel().select(1));
        robot.clickOn("#profile-default");
        // profiles.json is written off the FX thread
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> "b".equals(store.load().defaultProfile()));
        assertThat(store.load().defaultProfile()).isEqualTo("b");

        robot.interact(() -> list.getSelectionModel().select(list.getItems().stream().filter(p -> p.name().equals("b")).findFirst().orElseThrow()));
        robot.clickOn("#profile-remove");
        javafx.scene.control.DialogPane confirm = robot.lookup(".dialog-pane").queryAs(javafx.scene.control.DialogPane.class);
        assertThat(confirm.getContentText()).contains("stay exactly as they are");
        robot.clickOn(confirm.lookupButton(javafx.scene.control.ButtonType.OK));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(() -> list.getItems().size() == 1).get());
        assertThat(store.load().profiles()).extracting(Profile::name).containsExactly("a");
        assertThat(list.getItems()).extracting(Profile::name).containsExactly("a");
        assertThat(archive.resolve("backup_schedule.json")).exists();
    }

    @Test
    void aWrongPortShowsTheErrorWithAHintInTheDialog(FxRobot robot) throws Exception {
        robot.clickOn("#nav-settings");
        robot.clickOn("#profile-add");
        type(robot, "#profile-name", "nowhere");
        type(robot, "#profile-host", "127.0.0.1");
        type(robot, "#profile-port", "1");
        robot.clickOn("#profile-test");
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS,
                () -> robot.lookup("#profile-test-result").queryAs(javafx.scene.control.TextInputControl.class).getText().contains("Hint:"));
        robot.clickOn("#profile-cancel");
        assertThat(model.profiles()).isEmpty();
    }

    @Test
    void theDarkThemeSwitchAppliesAndIsRemembered(FxRobot robot) throws Exception {
        robot.clickOn("#nav-settings");
        robot.clickOn(robot.lookup("#theme-dark .thumb-area").queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitForFxEvents();
        // applied at once, written off the FX thread
        assertThat(model.preferencesProperty().get().theme()).isEqualTo(UiPreferences.DARK);
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> new UiPreferencesStore(config.resolve("ui.json")).load().dark());
        assertThat(new UiPreferencesStore(config.resolve("ui.json")).load().dark()).isTrue();
        robot.clickOn(robot.lookup("#theme-dark .thumb-area").queryAs(javafx.scene.Node.class));
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS, () -> !new UiPreferencesStore(config.resolve("ui.json")).load().dark());
        assertThat(new UiPreferencesStore(config.resolve("ui.json")).load().dark()).isFalse();
    }

    private static void type(FxRobot robot, String id, String text) {
        TextField f = robot.lookup(id).queryAs(TextField.class);
        robot.clickOn(f).write(text);
        assertThat(f.getText()).isEqualTo(text);
    }
}

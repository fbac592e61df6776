package io.pitrconsole.ui.shell;

import static io.pitrconsole.ui.shell.ConsoleProbe.result;
import static io.pitrconsole.ui.shell.ConsoleProbe.tested;
import static io.pitrconsole.ui.shell.ConsoleProbe.text;
import static io.pitrconsole.ui.shell.ConsoleProbe.visible;
import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.EncryptedArchives;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The console over an archive encrypted by the real age program (a local directory written through
 * the repository seam, one backup and two WAL segments), no server needed: the Backups and WAL
 * Archiving pages say how the archive is encrypted, ask for the key file when the profile has
 * none and work once it is chosen; Settings' profile dialog keeps the key file's path and "Test
 * archive" tells no key, the wrong key and the right key apart.
 */
@ExtendWith(ApplicationExtension.class)
class EncryptedArchiveConsoleTest {
    @TempDir
    static Path tmp;
    private static EncryptedArchives archives;
    private static Path encrypted;
    private static Path plain;

    @TempDir
    Path config;
    private ConsoleModel model;
    private ProfileStore store;
    private final AtomicReference<Path> chosen = new AtomicReference<>();

    @BeforeAll
    static void archives() throws Exception {
        archives = new EncryptedArchives(tmp);
        encrypted = archives.encrypted("encrypted");
        plain = archives.plain("plain");
    }

    @Start
    void start(Stage stage) throws Exception {
        store = new ProfileStore(config.resolve("profiles.json"));
        store.put(profile("enc", encrypted), true);
        store.put(profile("plain", plain), false);
        model = new ConsoleModel(archives.env(), store, new UiPreferencesStore(config.resolve("ui.json")));
        // the desktop's file chooser cannot be driven here: the user "picks" the file the test says
        model.keyFileChooserProperty().set(owner -> Optional.ofNullable(chosen.get()));
        MainWindow window = new MainWindow(model, Pages.create(model));
        stage.setScene(window.scene(1200, 860));
        stage.show();
        model.reloadProfiles();
    }

    private static Profile profile(String name, Path archive) throws Exception {
        return new Profile(name, "127.0.0.1", EncryptedArchives.closedPort(), null, null, null, null, archive.toString(), null);
    }

    private String fingerprint() {
        return archives.key().fingerprint().value();
    }

    @Test
    void theBackupsPageAsksForTheKeyFileAndShowsTheBackupsOnceTheRightOneIsChosen(FxRobot robot) throws Exception {
        robot.clickOn("#nav-backups");
        await(() -> visible(robot, "#backups-key-needed"));
        assertThat(text(robot, "#backups-key-problem")).contains("is encrypted (key fingerprint " + fingerprint() + ") and no key was given");
        assertThat(text(robot, "#backups-key-hint")).startsWith("Hint: ").contains("Settings");
        assertThat(visible(robot, "#backup-table")).isFalse();
        assertThat(robot.lookup("#backup-create").query().isDisabled()).isTrue();

        chosen.set(archives.otherKey().file());
        robot.clickOn("#backups-choose-key");
        await(() -> errors().stream().anyMatch(n -> n.message().contains("has fingerprint " + archives.otherKey().fingerprint())));
        assertThat(errors()).anySatisfy(n -> assertThat(n.message()).contains("encrypted with the key of fingerprint " + fingerprint()));
        assertThat(visible(robot, "#backups-key-needed")).isTrue();
        assertThat(store.find("enc").orElseThrow().encryptionKeyFile()).isNull();

        chosen.set(archives.key().file());
        robot.clickOn("#backups-choose-key");
        TableView<?> table = robot.lookup("#backup-table").queryAs(TableView.class);
        await(() -> table.getItems().size() == 1 && visible(robot, "#backup-table"));
        assertThat(visible(robot, "#backups-key-needed")).isFalse();
        assertThat(text(robot, "#backups-encryption")).isEqualTo("Encrypted with age, key fingerprint " + fingerprint());
        assertThat(store.find("enc").orElseThrow().encryptionKeyFile()).isEqualTo(archives.key().file().toString());
        assertThat(Files.readString(store.file())).doesNotContain("AGE-SECRET-KEY");

        robot.clickOn("#nav-wal-archiving");
        await(() -> text(robot, "#archiving-encryption").equals("Encrypted with age, key fingerprint " + fingerprint()));
        assertThat(visible(robot, "#archiving-key-needed")).isFalse();
    }

    @Test
    void theArchivingPageAsksForTheKeyTooAndAPlainArchiveIsNotEncrypted(FxRobot robot) throws Exception {
        robot.clickOn("#nav-wal-archiving");
        await(() -> visible(robot, "#archiving-key-needed"));
        assertThat(text(robot, "#archiving-key-problem")).contains(fingerprint());
        assertThat(robot.lookup("#archiving-apply").query().isDisabled()).isTrue();
        assertThat(robot.lookup("#archiving-verify").query().isDisabled()).isTrue();
        assertThat(visible(robot, "#archiving-encryption")).isFalse();

        Profile plainProfile = store.find("plain").orElseThrow();
        robot.interact(() -> model.activate(plainProfile));
        await(() -> text(robot, "#archiving-encryption").equals("Not encrypted"));
        assertThat(visible(robot, "#archiving-key-needed")).isFalse();
        robot.clickOn("#nav-backups");
        TableView<?> table = robot.lookup("#backup-table").queryAs(TableView.class);
        await(() -> text(robot, "#backups-encryption").equals("Not encrypted") && table.getItems().size() == 1);
    }

    @Test
    void theProfileDialogKeepsTheKeyFilesPathAndTestArchiveTellsNoKeyWrongKeyAndRightKeyApart(FxRobot robot) throws Exception {
        robot.clickOn("#nav-settings");
        ListView<Profile> list = robot.lookup("#profile-list").queryListView();
        await(() -> list.getItems().size() == 2);
        robot.interact(() -> list.getSelectionModel().select(list.getItems().stream().filter(p -> p.name().equals("enc")).findFirst().orElseThrow()));
        robot.clickOn("#profile-edit");
        await(() -> robot.lookup("#profile-key-file").tryQuery().isPresent());
        assertThat(text(robot, "#profile-key-file-note")).contains("only its path is saved");

        robot.clickOn("#profile-test-archive");
        await(() -> tested(robot));
        assertThat(result(robot)).contains("is encrypted (key fingerprint " + fingerprint() + ") and no key was given").contains("\nHint: ");
        assertThat(robot.lookup("#profile-test-archive-result").queryAs(Node.class).getStyleClass()).contains("danger");

        chosen.set(archives.otherKey().file());
        robot.clickOn("#profile-key-file-browse");
        TextField field = robot.lookup("#profile-key-file").queryAs(TextField.class);
        assertThat(field.getText()).isEqualTo(archives.otherKey().file().toString());
        robot.clickOn("#profile-test-archive");
        await(() -> tested(robot));
        assertThat(result(robot)).contains("encrypted with the key of fingerprint " + fingerprint())
                .contains("has fingerprint " + archives.otherKey().fingerprint());

        robot.interact(field::clear);
        robot.clickOn(field).write(archives.key().file().toString());
        robot.clickOn("#profile-test-archive");
        await(() -> tested(robot));
        assertThat(result(robot)).isEqualTo("Reached " + encrypted + ": 1 backup, 2 WAL files archived; encrypted, key fingerprint " + fingerprint());
        assertThat(robot.lookup("#profile-test-archive-result").queryAs(Node.class).getStyleClass()).contains("success");

        robot.clickOn("#profile-save");
        await(() -> archives.key().file().toString().equals(store.find("enc").orElseThrow().encryptionKeyFile()));
        assertThat(Files.readString(store.file())).contains("\"encryptionKeyFile\"").doesNotContain("AGE-SECRET-KEY");
        robot.clickOn("#nav-backups");
        await(() -> text(robot, "#backups-encryption").equals("Encrypted with age, key fingerprint " + fingerprint()));
    }

    @Test
    void everyPageOfAKeylessEncryptedArchiveOpensWithoutAnUncaughtFailure(FxRobot robot) throws Exception {
        List<Throwable> uncaught = new java.util.concurrent.CopyOnWriteArrayList<>();
        robot.interact(() -> Thread.currentThread().setUncaughtExceptionHandler((t, e) -> uncaught.add(e)));
        for (String page : List.of(Pages.DASHBOARD, Pages.BACKUPS, Pages.TIMELINE, Pages.RESTORE, Pages.ARCHIVING, Pages.SCHEDULE,
                Pages.SETTINGS, Pages.BACKUPS)) {
            robot.clickOn("#nav-" + page.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
            await(() -> model.background().running().isEmpty());
        }
        assertThat(uncaught).as("failures thrown on the FX thread").isEmpty();
        // the other pages report the missing key as a notice with the console's hint, never as a bug
        assertThat(errors()).allSatisfy(n -> assertThat(n.hint()).doesNotContain("this is a bug"));
        assertThat(visible(robot, "#backups-key-needed")).isTrue();
    }

    private List<Notice> errors() throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> model.notices().stream().filter(n -> n.level() == Notice.Level.ERROR).toList()).get();
    }

    private void await(Callable<Boolean> condition) throws Exception {
        ConsoleProbe.await(model, condition);
    }
}

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
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javafx.scene.control.Button;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
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
 * The console over an archive after `key add` (real age keys, no server): one backup under the old
 * key, one under the new. A profile keeps older key files besides its key file; the Backups page
 * and the Timeline ask for whichever key is missing, naming its fingerprint, and open the archive
 * with both; the Dashboard and Restore pages ask for a missing key with the same panel (and a
 * wrong key it replaces is not kept as an older one); Settings
 * shows the older key files and "Test archive" reads the archive with them.
 */
@ExtendWith(ApplicationExtension.class)
class RekeyedArchiveConsoleTest {
    @TempDir
    static Path tmp;
    private static EncryptedArchives archives;
    private static Path rekeyed;
    private static Path encrypted;

    @TempDir
    Path config;
    private ConsoleModel model;
    private ProfileStore store;
    private final AtomicReference<Path> chosen = new AtomicReference<>();

    @BeforeAll
    static void archives() throws Exception {
        archives = new EncryptedArchives(tmp);
        rekeyed = archives.rekeyed("rekeyed");
        encrypted = archives.encrypted("encrypted");
    }

    @Start
    void start(Stage stage) throws Exception {
        store = new ProfileStore(config.resolve("profiles.json"));
        model = new ConsoleModel(archives.env(), store, new UiPreferencesStore(config.resolve("ui.json")));
        // the desktop's file chooser cannot be driven here: the user "picks" the file the test says
        model.keyFileChooserProperty().set(owner -> Optional.ofNullable(chosen.get()));
        MainWindow window = new MainWindow(model, Pages.create(model));
        stage.setScene(window.scene(1200, 860));
        stage.show();
    }

    private void useProfile(Path archive, Path keyFile, List<Path> older) throws Exception {
        store.put(new Profile("enc", "127.0.0.1", EncryptedArchives.closedPort(), null, null, null, null, archive.toString(), null, null,
                null, null, keyFile == null ? null : keyFile.toString(), older.stream().map(Path::toString).toList()), true);
        WaitForAsyncUtils.asyncFx(() -> {
            model.reloadProfiles();
        }).get();
    }

    private String oldFingerprint() {
        return archives.key().fingerprint().value();
    }

    private String newFingerprint() {
        return archives.newKey().fingerprint().value();
    }

    @Test
    void withOnlyTheNewKeyTheBackupsPageAsksForTheOlderKeyByFingerprintAndShowsBothBackupsOnceAdded(FxRobot robot) throws Exception {
        useProfile(rekeyed, archives.newKey().file(), List.of());
        robot.clickOn("#nav-backups");
        await(() -> visible(robot, "#backups-key-needed"));
        assertThat(text(robot, "#backups-key-problem")).contains("older key " + oldFingerprint()).doesNotContain(newFingerprint());
        assertThat(text(robot, "#backups-key-hint")).contains(oldFingerprint());
        assertThat(robot.lookup("#backups-choose-key").queryAs(Button.class).getText()).isEqualTo("Add older key file...");

        chosen.set(archives.key().file());
        robot.clickOn("#backups-choose-key");
        TableView<?> table = robot.lookup("#backup-table").queryAs(TableView.class);
        await(() -> table.getItems().size() == 2 && visible(robot, "#backup-table"));
        assertThat(visible(robot, "#backups-key-needed")).isFalse();
        assertThat(text(robot, "#backups-encryption")).isEqualTo("Encrypted with age, key fingerprint " + newFingerprint());
        Profile saved = store.find("enc").orElseThrow();
        assertThat(saved.encryptionKeyFile()).isEqualTo(archives.newKey().file().toString());
        assertThat(saved.encryptionOldKeyFiles()).containsExactly(archives.key().file().toString());
        assertThat(Files.readString(store.file())).contains("\"encryptionOldKeyFiles\"").doesNotContain("AGE-SECRET-KEY");

        // every page reads the archive with both keys now
        robot.clickOn("#nav-recovery-timeline");
        await(() -> text(robot, "#timeline-summary").startsWith("2 backup(s)"));
        assertThat(visible(robot, "#timeline-key-needed")).isFalse();
    }

    @Test
    void withOnlyTheOldKeyTheTimelineAsksForTheNewKeyAndKeepsTheOldOneAsAnOlderKey(FxRobot robot) throws Exception {
        useProfile(rekeyed, archives.key().file(), List.of());
        robot.clickOn("#nav-recovery-timeline");
        await(() -> visible(robot, "#timeline-key-needed"));
        assertThat(text(robot, "#timeline-key-problem")).contains("encrypted with the key of fingerprint " + newFingerprint());
        assertThat(robot.lookup("#timeline-choose-key").queryAs(Button.class).getText()).isEqualTo("Choose key file...");
        assertThat(text(robot, "#timeline-summary")).doesNotStartWith("Could not read");

        chosen.set(archives.newKey().file());
        robot.clickOn("#timeline-choose-key");
        await(() -> text(robot, "#timeline-summary").startsWith("2 backup(s)"));
        assertThat(visible(robot, "#timeline-key-needed")).isFalse();
        Profile saved = store.find("enc").orElseThrow();
        assertThat(saved.encryptionKeyFile()).isEqualTo(archives.newKey().file().toString());
        assertThat(saved.encryptionOldKeyFiles()).containsExactly(archives.key().file().toString());
    }

    @Test
    void theDashboardAndRestorePagesAskForTheKeyWithTheSamePanel(FxRobot robot) throws Exception {
        // another archive's key in the profile
        useProfile(encrypted, archives.otherKey().file(), List.of());
        robot.clickOn("#nav-dashboard");
        await(() -> visible(robot, "#dashboard-key-needed"));
        assertThat(text(robot, "#dashboard-key-problem")).contains("encrypted with the key of fingerprint " + oldFingerprint());
        robot.clickOn("#nav-restore");
        await(() -> visible(robot, "#restore-key-needed"));

        chosen.set(archives.key().file());
        robot.clickOn("#restore-choose-key");
        await(() -> !visible(robot, "#restore-key-needed") && archives.key().file().toString()
                .equals(store.find("enc").orElseThrow().encryptionKeyFile()));
        // the key it replaced reads no file of this archive: it is not kept as an older key
        assertThat(store.find("enc").orElseThrow().encryptionOldKeyFiles()).isEmpty();
        robot.clickOn("#nav-dashboard");
        await(() -> model.background().running().isEmpty());
        assertThat(visible(robot, "#dashboard-key-needed")).isFalse();
        robot.clickOn("#nav-schedule");
        await(() -> model.background().running().isEmpty());
        assertThat(visible(robot, "#schedule-key-needed")).isFalse();
    }

    @Test
    void settingsShowsTheOlderKeyFilesAndTestArchiveReadsTheArchiveWithThem(FxRobot robot) throws Exception {
        useProfile(rekeyed, archives.newKey().file(), List.of(archives.key().file()));
        robot.clickOn("#nav-settings");
        ListView<Profile> list = robot.lookup("#profile-list").queryListView();
        await(() -> list.getItems().size() == 1);
        robot.interact(() -> list.getSelectionModel().select(0));
        robot.clickOn("#profile-edit");
        await(() -> robot.lookup("#profile-old-key-files").tryQuery().isPresent());
        TextArea older = robot.lookup("#profile-old-key-files").queryAs(TextArea.class);
        assertThat(older.getText()).isEqualTo(archives.key().file().toString());

        robot.clickOn("#profile-test-archive");
        await(() -> tested(robot));
        assertThat(result(robot)).isEqualTo("Reached " + rekeyed + ": 2 backups, 3 WAL files archived; encrypted, key fingerprint "
                + newFingerprint());

        robot.interact(older::clear);
        robot.clickOn("#profile-test-archive");
        await(() -> tested(robot));
        assertThat(result(robot)).contains("older key " + oldFingerprint());

        chosen.set(archives.key().file());
        robot.clickOn("#profile-old-key-file-add");
        assertThat(older.getText()).isEqualTo(archives.key().file().toString());
        robot.interact(() -> older.setText(older.getText() + "\n" + archives.otherKey().file()));
        robot.clickOn("#profile-save");
        await(() -> store.find("enc").orElseThrow().encryptionOldKeyFiles().size() == 2);
        assertThat(store.find("enc").orElseThrow().encryptionOldKeyFiles())
                .containsExactly(archives.key().file().toString(), archives.otherKey().file().toString());
    }

    private void await(Callable<Boolean> condition) throws Exception {
        ConsoleProbe.await(model, condition);
    }
}

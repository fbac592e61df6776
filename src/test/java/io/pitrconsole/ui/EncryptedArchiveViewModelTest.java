package io.pitrconsole.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.practice.PracticeLayout;
import io.pitrconsole.ui.archiving.ArchivingViewModel;
import io.pitrconsole.ui.backups.BackupsViewModel;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Backups and WAL Archiving pages' view models over real archives (written through the
 * repository seam, encrypted by the real age), without a window: the encryption line, and the
 * key file asked for when the profile has none, which, once chosen, is saved and opens the archive.
 */
class EncryptedArchiveViewModelTest {
    @TempDir
    Path dir;
    private EncryptedArchives archives;
    private ProfileStore store;
    private ConsoleModel model;
    private String fingerprint;

    @BeforeEach
    void keys() {
        archives = new EncryptedArchives(dir);
        fingerprint = archives.key().fingerprint().value();
    }

    private void console(Path archive, Path keyFile) throws IOException {
        store = new ProfileStore(dir.resolve("profiles.json"));
        store.put(new Profile("enc", "127.0.0.1", EncryptedArchives.closedPort(), null, null, null, null, archive.toString(), null,
                null, null, null, keyFile == null ? null : keyFile.toString()), true);
        model = new ConsoleModel(archives.env(), store, new UiPreferencesStore(dir.resolve("ui.json")), new PracticeLayout(dir.resolve("practice")),
                ImmediateBackground::new);
        model.reloadProfiles();
        model.notices().clear();
    }

    /** Failures shown to the user, other than the status bar's connection check (there is no server here). */
    private List<Notice> errors() {
        return model.notices().stream().filter(n -> n.level() == Notice.Level.ERROR && !n.message().startsWith("Connecting")).toList();
    }

    @Test
    void theBackupsPageSaysWhetherTheArchiveIsEncryptedAndWithWhichKey() throws IOException {
        console(archives.encrypted("enc"), archives.key().file());
        BackupsViewModel vm = new BackupsViewModel(model, model.background());
        vm.refresh();
        assertThat(vm.encryption().stateProperty().get()).isEqualTo("Encrypted with age, key fingerprint " + fingerprint);
        assertThat(vm.encryption().keyNeededProperty().get()).isFalse();
        assertThat(vm.allRows()).extracting(r -> r.id()).containsExactly(EncryptedArchives.BACKUP);
        assertThat(errors()).isEmpty();

        console(archives.plain("plain"), null);
        BackupsViewModel plain = new BackupsViewModel(model, model.background());
        plain.refresh();
        assertThat(plain.encryption().stateProperty().get()).isEqualTo("Not encrypted");
        assertThat(plain.encryption().encryptedProperty().get()).isFalse();
        assertThat(plain.allRows()).hasSize(1);
    }

    @Test
    void withoutItsKeyTheBackupsPageAsksForItAndOnlyTheRightKeyIsSaved() throws IOException {
        console(archives.encrypted("enc"), null);
        BackupsViewModel vm = new BackupsViewModel(model, model.background());
        vm.refresh();
        RepositoryEncryptionModel enc = vm.encryption();
        assertThat(enc.keyNeededProperty().get()).isTrue();
        assertThat(enc.problemProperty().get()).contains("is encrypted (key fingerprint " + fingerprint + ") and no key was given");
        assertThat(enc.hintProperty().get()).contains("Settings").contains(fingerprint);
        assertThat(vm.allRows()).isEmpty();
        assertThat(vm.canCreate()).isFalse();
        assertThat(errors()).as("the page asks; no failure notice").isEmpty();

        enc.useKeyFile(archives.otherKey().file());
        assertThat(errors()).singleElement().satisfies(n -> assertThat(n.message())
                .contains("encrypted with the key of fingerprint " + fingerprint)
                .contains("has fingerprint " + archives.otherKey().fingerprint()));
        assertThat(store.find("enc").orElseThrow().encryptionKeyFile()).as("a wrong key is not saved").isNull();
        assertThat(enc.checkingKeyProperty().get()).isFalse();

        enc.useKeyFile(archives.key().file());
        assertThat(store.find("enc").orElseThrow().encryptionKeyFile()).isEqualTo(archives.key().file().toString());
        assertThat(model.session().orElseThrow().profile().encryptionKeyFile()).isEqualTo(archives.key().file().toString());
        // the shell reloads the page on show when the profile changes
        vm.sessionChanged();
        vm.refresh();
        assertThat(enc.keyNeededProperty().get()).isFalse();
        assertThat(enc.stateProperty().get()).isEqualTo("Encrypted with age, key fingerprint " + fingerprint);
        assertThat(vm.allRows()).extracting(r -> r.id()).containsExactly(EncryptedArchives.BACKUP);
    }

    @Test
    void theArchivingPageAsksForTheKeyAndReadsNothingOnTheCallingThread() throws IOException {
        console(archives.encrypted("enc"), null);
        ArchivingViewModel vm = new ArchivingViewModel(model, model.background());
        assertThatCode(vm::refresh).doesNotThrowAnyException();
        assertThat(vm.encryption().keyNeededProperty().get()).isTrue();
        assertThat(vm.encryption().problemProperty().get()).contains(fingerprint);
        assertThat(vm.busyProperty().get()).isFalse();
        assertThat(vm.stateProperty().get()).isEmpty();
        assertThat(errors()).isEmpty();

        vm.encryption().useKeyFile(archives.key().file());
        vm.sessionChanged();
        vm.refresh();
        assertThat(vm.encryption().stateProperty().get()).isEqualTo("Encrypted with age, key fingerprint " + fingerprint);
        // no server here: the page says so, as for any archive
        assertThat(vm.stateProperty().get()).contains("Could not read the server's archiving state");
        assertThat(vm.busyProperty().get()).isFalse();
    }
}

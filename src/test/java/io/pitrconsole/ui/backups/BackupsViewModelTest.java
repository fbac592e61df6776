package io.pitrconsole.ui.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.ImmediateBackground;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backups view model without a window (its work runs at once): empty states, and an unreadable backup listed rather than hidden. */
class BackupsViewModelTest {
    @TempDir
    Path dir;

    private ConsoleModel model() {
        return ImmediateBackground.console(dir);
    }

    @Test
    void withoutAProfileOrAnArchiveTheViewSaysWhyAndCannotCreate() {
        ConsoleModel model = model();
        BackupsViewModel vm = new BackupsViewModel(model, model.background());
        vm.refresh();
        assertThat(vm.emptyStateProperty().get()).startsWith("No cluster profile");
        assertThat(vm.canCreate()).isFalse();

        // the shell refreshes the page on show after a profile switch; here the test does
        model.activate(new Profile("noarchive", "127.0.0.1", 1, "postgres", "postgres", null, null, null, null));
        vm.refresh();
        assertThat(vm.emptyStateProperty().get()).contains("'noarchive' has no archive directory");
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.canCreate()).isFalse();
    }

    @Test
    void anUnreadableBackupJsonIsListedAndTheFilterFindsIt() throws Exception {
        Path archive = dir.resolve("archive");
        java.nio.file.Files.createDirectories(archive.resolve("wal_archive"));
        java.nio.file.Files.createDirectories(archive.resolve("backup_20261125_021500"));
        java.nio.file.Files.writeString(archive.resolve("backup_20261125_021500/backup.json"), "{ not json");
        ConsoleModel model = model();
        BackupsViewModel vm = new BackupsViewModel(model, model.background());
        model.activate(new Profile("broken", "127.0.0.1", 1, "postgres", "postgres", null, null, archive.toString(), null));
        vm.refresh();
        assertThat(vm.allRows()).hasSize(1);
        assertThat(vm.loadingProperty().get()).isFalse();
        assertThat(vm.emptyStateProperty().get()).isEmpty();
        assertThat(vm.canCreate()).isTrue();
        assertThat(vm.rows().get(0).status()).isEqualTo(BackupRow.UNREADABLE);
        vm.filterProperty().set("unreadable");
        assertThat(vm.rows()).hasSize(1);
        vm.filterProperty().set("verified");
        assertThat(vm.rows()).isEmpty();
        // an unreadable backup has no details to read
        vm.selectedProperty().set(vm.allRows().get(0));
        assertThat(vm.detailsProperty().get()).isNull();
    }
}

package io.pitrconsole.ui.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.UiPreferencesStore;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

/** The backups view model without a window: empty states, and an unreadable backup listed rather than hidden. */
@ExtendWith(ApplicationExtension.class)
class BackupsViewModelTest {
    @TempDir
    Path dir;

    private ConsoleModel model() {
        return new ConsoleModel(Map.of(), new ProfileStore(dir.resolve("profiles.json")), new UiPreferencesStore(dir.resolve("ui.json")));
    }

    @Test
    void withoutAProfileOrAnArchiveTheViewSaysWhyAndCannotCreate(FxRobot robot) {
        ConsoleModel model = model();
        BackupsViewModel vm = new BackupsViewModel(model);
        robot.interact(vm::refresh);
        assertThat(vm.emptyStateProperty().get()).startsWith("No cluster profile");
        assertThat(vm.canCreate()).isFalse();

        // the shell refreshes the page on show after a profile switch; here the test does
        robot.interact(() -> {
            model.activate(new Profile("noarchive", "127.0.0.1", 1, "postgres", "postgres", null, null, null, null));
            vm.refresh();
        });
        assertThat(vm.emptyStateProperty().get()).contains("'noarchive' has no archive directory");
        assertThat(vm.rows()).isEmpty();
        assertThat(vm.canCreate()).isFalse();
    }

    @Test
    void anUnreadableBackupJsonIsListedAndTheFilterFindsIt(FxRobot robot) throws Exception {
        Path archive = dir.resolve("archive");
        java.nio.file.Files.createDirectories(archive.resolve("wal_archive"));
        java.nio.file.Files.createDirectories(archive.resolve("backup_20261125_021500"));
        java.nio.file.Files.writeString(archive.resolve("backup_20261125_021500/backup.json"), "{ not json");
        ConsoleModel model = model();
        BackupsViewModel vm = new BackupsViewModel(model);
        robot.interact(() -> {
            model.activate(new Profile("broken", "127.0.0.1", 1, "postgres", "postgres", null, null, archive.toString(), null));
            vm.refresh();
        });
        WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> vm.allRows().size() == 1);
        // the lists change on the FX thread: let it finish before reading them here
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.emptyStateProperty().get()).isEmpty();
        assertThat(vm.canCreate()).isTrue();
        assertThat(vm.rows().get(0).status()).isEqualTo(BackupRow.UNREADABLE);
        robot.interact(() -> vm.filterProperty().set("unreadable"));
        assertThat(vm.rows()).hasSize(1);
        robot.interact(() -> vm.filterProperty().set("verified"));
        assertThat(vm.rows()).isEmpty();
        // an unreadable backup has no details to read
        robot.interact(() -> vm.selectedProperty().set(vm.allRows().get(0)));
        assertThat(vm.detailsProperty().get()).isNull();
    }
}

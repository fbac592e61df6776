package io.pitrconsole.ui.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.config.Profile;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.schedule.HealthCheck;
import io.pitrconsole.schedule.HealthLevel;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.ImmediateBackground;
import io.pitrconsole.ui.Pages;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's view model without a window (its work runs at once), over a real cluster that has no backup yet. */
class DashboardViewModelTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @TempDir
    Path config;

    @Test
    void aClusterWithoutBackupsIsCriticalAndItsActionsSayWhatTheyCanDo() throws Exception {
        PgTestCluster c = pg.cluster();
        ConsoleModel model = ImmediateBackground.console(config);
        ImmediateBackground background = (ImmediateBackground) model.background();
        DashboardViewModel vm = new DashboardViewModel(model, background);
        vm.refresh();
        assertThat(vm.summaryProperty().get()).isNull();

        // the shell refreshes the page on show after a profile switch; here the test does
        model.activate(new Profile("it", "127.0.0.1", c.port(), PgTestCluster.SUPERUSER, "postgres",
                c.dataDir().toString(), null, c.archiveDir().toString(), c.installation().binDir().toString()));
        vm.refresh();
        assertThat(vm.summaryProperty().get()).isNotNull();
        assertThat(vm.loadingProperty().get()).isFalse();
        DashboardSummary s = vm.summaryProperty().get();
        assertThat(s.level()).isEqualTo(HealthLevel.CRITICAL);
        assertThat(s.newestBackup()).isEqualTo("no restorable backup");
        assertThat(s.backupStale()).isTrue();
        assertThat(s.newestBackupId()).isEmpty();
        assertThat(s.problems()).extracting(HealthCheck::check).contains("newest backup");
        assertThat(s.archiver()).contains("archived").contains("failed");
        assertThat(s.range()).isEqualTo("nothing restorable yet");

        // a new stale limit (set on the Settings page, the dashboard hidden) applies to what was read, without reading again
        int jobsBefore = background.titles().size();
        model.savePreferences(model.preferencesProperty().get().withDefaults("zstd", 1));
        assertThat(vm.summaryProperty().get()).isNotSameAs(s).isNotNull();
        assertThat(background.titles()).hasSize(jobsBefore);

        vm.verifyNewest();
        assertThat(model.notices()).anyMatch(n -> n.message().equals("There is no restorable backup to verify yet"));

        List<String> shown = new ArrayList<>();
        List<String> backups = new ArrayList<>();
        model.navigatorProperty().set(shown::add);
        model.backupNowActionProperty().set(() -> backups.add("asked"));
        vm.rehearse();
        vm.backUpNow();
        assertThat(shown).containsExactly(Pages.RESTORE);
        assertThat(backups).containsExactly("asked");
    }
}

package io.pitrconsole.ui.archiving;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archiving.ApplyResult;
import io.pitrconsole.archiving.Finding;
import io.pitrconsole.archiving.SettingComparison;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.ImmediateBackground;
import io.pitrconsole.ui.Notice;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The archiving page's decisions that need no window: when Apply warns about a restart, and what it reports. */
class ArchivingViewModelTest {
    @TempDir
    Path tmp;

    @Test
    void onlyAChangeToWalLevelOrArchiveModeAsksForARestart() {
        ConsoleModel model = ImmediateBackground.console(tmp);
        ArchivingViewModel vm = new ArchivingViewModel(model, model.background());
        SettingComparison level = new SettingComparison("wal_level", "replica", "replica", true, true, false);
        SettingComparison command = new SettingComparison("archive_command", "cp %p /x/%f", "/a/.pitr/archive-wal %p %f", false, false, false);
        vm.settings().setAll(level, command);
        assertThat(vm.applyNeedsRestart()).isFalse();
        assertThat(vm.pendingChanges()).containsExactly(command);

        vm.settings().setAll(new SettingComparison("archive_mode", "off", "on", false, true, false), command);
        assertThat(vm.applyNeedsRestart()).isTrue();
        // written earlier but not yet in effect: still needs the restart
        vm.settings().setAll(new SettingComparison("archive_mode", "off", "on", false, true, true));
        assertThat(vm.applyNeedsRestart()).isTrue();
        assertThat(ArchivingPage.status(vm.settings().get(0))).isEqualTo("waits for a server restart");
    }

    @Test
    void applyWithAPendingRestartIsAWarningThatSaysArchivingIsNotActive() {
        Notice n = ArchivingViewModel.applied(new ApplyResult(List.of("wal_level", "archive_mode"), List.of("wal_level", "archive_mode"), false));
        assertThat(n.level()).isEqualTo(Notice.Level.WARNING);
        assertThat(n.message()).contains("Restart needed: wal_level, archive_mode").contains("not active");
        assertThat(n.hint()).contains("Verify");
        assertThat(ArchivingViewModel.applied(new ApplyResult(List.of(), List.of(), false)).message()).startsWith("Settings already in place");
    }

    @Test
    void summaryCountsFailuresAndWarnings() {
        assertThat(ArchivingViewModel.summary(List.of(Finding.pass("a", "x"), Finding.warn("b", "y", "h")))).isEqualTo("Passed with 1 warnings");
        assertThat(ArchivingViewModel.summary(List.of(Finding.fail("a", "x", "h"), Finding.warn("b", "y", "h")))).isEqualTo("1 failed, 1 warnings");
        assertThat(ArchivingViewModel.summary(List.of(Finding.pass("a", "x")))).isEqualTo("All 1 checks passed");
    }
}

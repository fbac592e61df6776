package io.pitrconsole.ui.timeline;

import static io.pitrconsole.ui.timeline.Synthetic.at;
import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.ImmediateBackground;
import java.nio.file.Path;
import java.time.ZoneId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The page's state and commands, without a window. */
class TimelineViewModelTest {
    private static final ZoneId ZONE = ZoneId.of("America/New_York");

    @TempDir
    Path config;

    private ConsoleModel model;
    private TimelineViewModel vm;

    @BeforeEach
    void loaded() {
        model = ImmediateBackground.console(config);
        vm = new TimelineViewModel(model, model.background(), ZONE);
        vm.apply(Synthetic.loaded());
    }

    @Test
    void summaryCountsBackupsSegmentsGapsAndRestorePoints() {
        assertThat(vm.summaryProperty().get()).isEqualTo("2 backup(s), 9 WAL segment(s), 1 gap(s), 1 restore point(s)");
        assertThat(vm.dataProperty().get().lanes()).hasSize(1);
    }

    @Test
    void aRestorableMomentNamesTheNewestBackupReachingItAndTheWalToReplay() {
        vm.pick(new TimelineSelection(at(4.5), 1, true));

        MomentDetails d = vm.detailsProperty().get();
        assertThat(d.restorable()).isTrue();
        assertThat(d.backup().orElseThrow().id()).isEqualTo("backup_a");
        // segments 2..5: 5 holds the first commit after 4:30
        assertThat(d.wal().orElseThrow().segments()).isEqualTo(4);
        assertThat(d.wal().orElseThrow().bytes()).isEqualTo(1000L * (2 + 3 + 4 + 5));
    }

    @Test
    void restoreHereRequestsATimeTargetInTheDisplayZoneOnThePickedTimeline() {
        vm.pick(new TimelineSelection(at(10.25), 1, true));
        vm.restoreHere();

        RecoveryTarget t = model.restoreTargetRequestProperty().get();
        assertThat(t.kind()).isEqualTo(RecoveryTarget.Kind.TIME);
        assertThat(t.time().toInstant()).isEqualTo(at(10.25));
        assertThat(t.time().getOffset()).isEqualTo(ZONE.getRules().getOffset(at(10.25)));
        assertThat(t.timeline()).isEqualTo(1);
    }

    @Test
    void aMomentInTheGapIsNotRestorableAndRequestsNothing() {
        vm.pick(new TimelineSelection(at(7.5), 1, false));
        vm.restoreHere();

        MomentDetails d = vm.detailsProperty().get();
        assertThat(d.restorable()).isFalse();
        assertThat(d.nearestRestorable()).containsExactly(at(6).minusNanos(1000), at(9).plusSeconds(21));
        assertThat(model.restoreTargetRequestProperty().get()).isNull();
    }

    @Test
    void reloadingClearsThePick() {
        vm.pick(new TimelineSelection(at(4.5), 1, true));
        vm.apply(Synthetic.loaded());

        assertThat(vm.detailsProperty().get()).isNull();
    }
}

package io.pitrconsole.ui.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.ui.ImmediateBackground;
import io.pitrconsole.wal.TimelineHistory;
import io.pitrconsole.wal.WalArchiveIndex;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The plan step shows a plan's warnings (an abandoned timeline asked for by number) above the
 * plan, and nothing when there are none. The backend stands in for the planner, whose warnings
 * are checked against a real cluster in AbandonedTimelineTest.
 */
@ExtendWith(ApplicationExtension.class)
class PlanWarningsViewTest {
    private static final String WARNING = "timeline 2 (branched from 1 at 0/5000A0) was abandoned at 2026-11-29T16:40:01Z by rolling back"
            + " restore_20261129_163000_111; this restore follows it because it was asked for by number";

    private RestoreWizardViewModel vm;

    /** Runs every job at once on the calling thread. */
    private final ImmediateBackground syncJobs = new ImmediateBackground(notice -> { }, line -> { });

    @Start
    void start(Stage stage) {
        vm = new RestoreWizardViewModel(syncJobs);
        vm.target().zoneProperty().set(ZoneOffset.UTC);
        vm.backendProperty().set(new Backend());
        stage.setScene(new Scene(new ScrollPane(PlanStepView.build(vm)), 1000, 700));
        stage.show();
    }

    private void planLatest(FxRobot robot, String timeline) {
        robot.interact(() -> {
            vm.target().kindProperty().set(RecoveryTarget.Kind.LATEST);
            vm.target().timelineProperty().set(timeline);
            vm.next();
            vm.next();
        });
    }

    @Test
    void anAbandonedTimelineAskedForByNumberIsWarnedAboveThePlan(FxRobot robot) {
        planLatest(robot, "2");

        Label warnings = robot.lookup("#plan-warnings").queryAs(Label.class);
        assertThat(warnings.isVisible()).isTrue();
        assertThat(warnings.getText()).isEqualTo("Warning: " + WARNING);
    }

    @Test
    void aPlanWithoutWarningsShowsNone(FxRobot robot) {
        planLatest(robot, "");

        assertThat(robot.lookup("#plan-checks").queryAs(Label.class).getText()).contains("backup ends before the target");
        assertThat(robot.lookup("#plan-warnings").queryAs(Label.class).isVisible()).isFalse();
    }

    /** Plans every request on timeline 1 unless timeline 2 is named, which is abandoned. */
    private static final class Backend implements RestoreBackend {
        private static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;

        @Override
        public String clusterName() {
            return "prod";
        }

        @Override
        public ConnectionSettings connection() {
            return ConnectionSettings.resolve("127.0.0.1", 5432, "dba", "postgres", Map.of());
        }

        @Override
        public Optional<Path> dataDirectory() {
            return Optional.empty();
        }

        @Override
        public RecoveryWindows windows(ProgressListener progress, Cancellation cancel) {
            return RecoveryWindows.compute(List.of(), WalArchiveIndex.of(SEG, List.of(), TimelineHistory.empty()));
        }

        @Override
        public RestorePlan plan(RestoreRequest request, ProgressListener progress, Cancellation cancel) {
            RecoveryTarget t = request.target();
            boolean two = t.timeline() != null && t.timeline() == 2;
            return new RestorePlan("backup_20261129_160000", two ? t : t.onTimeline(1), request.mode(), Path.of("/tmp/sandbox/data"),
                    54321, List.of("000000010000000000000003"), SEG, 1000, Map.of("recovery_target_timeline", two ? "2" : "1"), Map.of(),
                    12.5, "defaults", List.of("backup ends before the target"), List.of(), two ? List.of(WARNING) : List.of(), request, null);
        }

        @Override
        public RestoreReport run(RestorePlan plan, RestoreListener listener, Cancellation cancel) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<RestoreReport> history() {
            return List.of();
        }

        @Override
        public Path discard(Path sandbox) {
            throw new UnsupportedOperationException();
        }

        @Override
        public RestoreReport rollback(String restoreId) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Path exportHtml(RestoreReport report) {
            throw new UnsupportedOperationException();
        }
    }
}

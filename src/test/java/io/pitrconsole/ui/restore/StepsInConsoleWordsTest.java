package io.pitrconsole.ui.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.report.RestoreReports;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.ui.ImmediateBackground;
import io.pitrconsole.wal.TimelineHistory;
import io.pitrconsole.wal.WalArchiveIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

/**
 * The Plan and Report steps show a plan's notes and a report's notes and hint in the console's
 * words (the Target step's Timeline, the Discard sandbox button), where the command line names
 * --timeline and 'restore discard'. The backend stands in for the planner, whose wording of the
 * notes AbandonedTimelineChoiceTest checks; the report is saved and read back by RestoreReports.
 */
@ExtendWith(ApplicationExtension.class)
class StepsInConsoleWordsTest {
    private static final String WARNING = "timeline 2 was abandoned";

    private static final String NOTE = "the time also lies on other timelines; chose timeline 1 (pass --timeline to pick another)";
    private static final String CONSOLE_NOTE = "the time also lies on other timelines; chose timeline 1 (type another as the Timeline on"
            + " the Target step to pick it)";

    private RestoreWizardViewModel vm;

    /** Runs every job at once on the calling thread. */
    private final ImmediateBackground syncJobs = new ImmediateBackground(notice -> { }, line -> { });

    @Start
    void start(Stage stage) {
        vm = new RestoreWizardViewModel(syncJobs);
        vm.target().zoneProperty().set(ZoneOffset.UTC);
        vm.backendProperty().set(new Backend());
        stage.setScene(new Scene(new ScrollPane(new javafx.scene.layout.VBox(PlanStepView.build(vm), ReportStepView.build(vm))), 1000, 700));
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

    @TempDir
    Path archive;

    @Test
    void thePlanStepShowsTheNoteInTheConsolesWords(FxRobot robot) {
        planLatest(robot, "");

        String checks = robot.lookup("#plan-checks").queryAs(Label.class).getText();
        assertThat(checks).contains("note: " + CONSOLE_NOTE).doesNotContain("--timeline");
        assertThat(vm.planProperty().get().notes()).containsExactly(NOTE);
    }

    @Test
    void theReportStepShowsASavedReportsNotesAndHintInTheConsolesWords(FxRobot robot) throws Exception {
        RestoreReports reports = new RestoreReports(LocalDirectoryRepository.at(archive));
        String note = "the rehearsal server keeps running on port 54321; 'restore discard /tmp/s' removes it";
        String hint = "put the directories back by hand, then run 'restore rollback' again (journal j)";
        Instant t = Instant.parse("2026-12-06T01:00:00Z");
        reports.save(new RestoreReport("restore_20261206_010000_100", RestoreReport.FAILED, RestoreMode.REHEARSAL, "backup_20261206_000000",
                "latest", null, "/tmp/s/data", 54321, false, t, t.plusSeconds(5), List.of(), null, null, List.of(), Map.of(), null, 0, 0,
                "/tmp/s/server.log", "/tmp/s", Map.of(), false, List.of(note), "rollback incomplete", hint)
                .withConsoleWords(Map.of(note, "the rehearsal server keeps running on port 54321; Discard sandbox removes it",
                        hint, "put the directories back by hand, then click Roll back this restore again (journal j)")));
        RestoreReport saved = reports.list().get(0);

        robot.interact(() -> vm.showReport(saved));

        assertThat(robot.lookup("#report-error").queryAs(Label.class).getText())
                .endsWith("Hint: put the directories back by hand, then click Roll back this restore again (journal j)");
        @SuppressWarnings("unchecked")
        ListView<String> steps = robot.lookup("#report-steps").queryAs(ListView.class);
        assertThat(steps.getItems()).contains("note: the rehearsal server keeps running on port 54321; Discard sandbox removes it");
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
                    12.5, "defaults", List.of("backup ends before the target"), List.of(NOTE), two ? List.of(WARNING) : List.of(), request, null,
                    Map.of(NOTE, CONSOLE_NOTE));
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

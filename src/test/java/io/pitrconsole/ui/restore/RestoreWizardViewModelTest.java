package io.pitrconsole.ui.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.target.TargetRefusedException;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.ui.ImmediateBackground;
import io.pitrconsole.wal.RestorePoint;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.TimelineHistory;
import io.pitrconsole.wal.WalArchiveIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The wizard's rules without a window: which step allows Next, what a refused plan offers, what an
 * in-place restore asks for, and how a run's events become rows, a log and a report. The backend
 * here stands in for the services with fixed answers; the real ones are driven in RestoreWizardTest.
 */
class RestoreWizardViewModelTest {
    private static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    private static final Instant T0 = Instant.parse("2026-11-25T10:00:00Z");
    /** Window of the backup: 10:03:06 .. 10:05:00.123456; WAL segments 6-7 are missing; nothing after. */
    private static final Instant GAP_TIME = T0.plusSeconds(400);

    private final List<RestoreRequest> planned = new ArrayList<>();
    private RestoreWizardViewModel vm;
    private FakeBackend backend;
    /** How often the wizard said the cluster's server was restarted (the page re-checks the connection then). */
    private int serverRestarts;

    /** Runs every job at once on the calling thread. */
    private final ImmediateBackground syncJobs = new ImmediateBackground(notice -> { }, line -> { });
    private final List<String> jobTitles = syncJobs.titles();

    @BeforeEach
    void setUp() {
        backend = new FakeBackend();
        vm = new RestoreWizardViewModel(syncJobs);
        vm.onServerRestarted(() -> serverRestarts++);
        vm.target().zoneProperty().set(ZoneOffset.UTC);
        vm.backendProperty().set(backend);
    }

    @Test
    void nextNeedsATargetAndTheTargetStepSaysAtOnceWhetherItLiesInAWindow() {
        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.TARGET);
        assertThat(vm.canNextProperty().get()).isFalse();
        assertThat(vm.canBackProperty().get()).isFalse();
        assertThat(vm.restorePoints()).extracting(RestorePoint::name).containsExactly("before_cleanup");

        vm.target().dateProperty().set(LocalDate.of(2026, 11, 25));
        vm.target().timeProperty().set("10:04:30.5");
        assertThat(vm.canNextProperty().get()).isTrue();
        assertThat(vm.target().targetProperty().get().time().toInstant()).isEqualTo(T0.plusSeconds(270).plusMillis(500));
        assertThat(vm.insideWindowProperty().get()).isTrue();
        assertThat(vm.windowCheckProperty().get()).startsWith("inside the recovery window of backup_20261125_100300");

        vm.target().timeProperty().set("2026-11-25 10:06:40+00");
        assertThat(vm.insideWindowProperty().get()).isFalse();
        // the nearest restorable moment named is the one the plan offers: a microsecond before the last transaction
        assertThat(vm.windowCheckProperty().get()).startsWith("outside every recovery window").contains("10:05:00.123455")
                .doesNotContain("10:05:00.123456");
        assertThat(backend.before).isEqualTo(Instant.parse("2026-11-25T10:05:00.123455Z"));

        vm.target().timeProperty().set("2026-11-25 10:05:00.123456+00");
        assertThat(vm.insideWindowProperty().get()).isFalse();
        vm.target().timeProperty().set("2026-11-25 10:05:00.123455+00");
        assertThat(vm.insideWindowProperty().get()).isTrue();

        vm.target().timeProperty().set("10:61");
        assertThat(vm.canNextProperty().get()).isFalse();
        assertThat(vm.target().errorProperty().get()).isNotEmpty();

        vm.target().kindProperty().set(RecoveryTarget.Kind.NAME);
        vm.target().restorePointProperty().set("before_cleanup");
        assertThat(vm.insideWindowProperty().get()).isTrue();
        vm.target().kindProperty().set(RecoveryTarget.Kind.LSN);
        vm.target().lsnProperty().set("not an lsn");
        assertThat(vm.canNextProperty().get()).isFalse();
        vm.target().lsnProperty().set("0/3000148");
        assertThat(vm.canNextProperty().get()).isTrue();
    }

    @Test
    void aRefusedTargetIsExplainedOnThePlanStepAndASuggestionClickedPlansIt() {
        vm.target().timeProperty().set(GAP_TIME.toString().replace('T', ' ').replace("Z", "+00"));
        vm.next();
        vm.next();

        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.PLAN);
        assertThat(vm.planProperty().get()).isNull();
        assertThat(vm.planErrorProperty().get()).contains("lies in a gap");
        assertThat(vm.planHintProperty().get()).startsWith("nearest restorable moments");
        assertThat(vm.suggestions()).containsExactly(backend.before, backend.after);
        assertThat(vm.canNextProperty().get()).isFalse();
        assertThat(vm.canBackProperty().get()).isTrue();

        vm.useSuggestion(backend.before);

        assertThat(vm.target().targetProperty().get().time().toInstant()).isEqualTo(backend.before);
        assertThat(vm.planErrorProperty().get()).isEmpty();
        assertThat(vm.suggestions()).isEmpty();
        assertThat(vm.planProperty().get().backupId()).isEqualTo("backup_20261125_100300");
        assertThat(vm.canNextProperty().get()).isTrue();

        vm.chosenBackupProperty().set("backup_20261125_100300");
        assertThat(planned.get(planned.size() - 1).backupId()).contains("backup_20261125_100300");
        assertThat(planned).allSatisfy(r -> assertThat(r.mode()).isEqualTo(RestoreMode.REHEARSAL));
    }

    @Test
    void inPlaceNeedsTheDataDirectoryAndTheProfileNameTypedOutRehearsalAValidPort() {
        toModeStep();
        assertThat(vm.mode().modeProperty().get()).isEqualTo(RestoreMode.REHEARSAL);
        assertThat(vm.canNextProperty().get()).isTrue();
        vm.mode().sandboxPortProperty().set("80");
        assertThat(vm.canNextProperty().get()).isFalse();
        vm.mode().sandboxPortProperty().set("");

        vm.mode().modeProperty().set(RestoreMode.IN_PLACE);
        assertThat(vm.mode().dataDirProperty().get()).isEqualTo("/srv/pg/data");
        assertThat(vm.canNextProperty().get()).isFalse();
        assertThat(vm.mode().errorProperty().get()).contains("type the profile name 'prod'");
        vm.mode().confirmationProperty().set("prd");
        assertThat(vm.canNextProperty().get()).isFalse();
        vm.mode().confirmationProperty().set("prod");
        assertThat(vm.canNextProperty().get()).isTrue();
        vm.mode().dataDirProperty().set(" ");
        assertThat(vm.canNextProperty().get()).isFalse();
    }

    @Test
    void aRunShowsEveryStepWithItsDurationAndTheServerLogThenTheReportAndHistory() {
        toModeStep();
        vm.mode().keepRunningProperty().set(true);
        assertThat(vm.mode().verifyDatabaseProperty().get()).isEqualTo("postgres");
        vm.mode().verifySchemaProperty().set(" ");
        assertThat(vm.canNextProperty().get()).isFalse();
        vm.mode().verifySchemaProperty().set("shop");
        vm.next();
        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.PLAN);
        vm.next();

        assertThat(backend.ran.request().verifySchema()).isEqualTo("shop");
        assertThat(backend.ran.request().verifyDatabase()).isEqualTo("postgres");
        assertThat(backend.ran.request().keep()).isTrue();
        assertThat(backend.ran.request().connection()).isPresent();
        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.REPORT);
        assertThat(vm.run().steps()).extracting(StepRow::name).containsExactly("extract backup", "recover to target");
        assertThat(vm.run().steps()).allSatisfy(r -> assertThat(r.stateProperty().get()).isEqualTo(StepRow.State.DONE));
        assertThat(vm.run().steps().get(0).secondsProperty().get()).isEqualTo(1.5);
        assertThat(vm.run().logTail()).containsExactly("LOG: recovery stopping before commit of transaction 740");
        ReportActions report = vm.report();
        assertThat(report.reportProperty().get().id()).isEqualTo("restore_1");
        assertThat(report.history()).extracting(RestoreReport::id).containsExactly("restore_1");
        assertThat(report.connectionStringProperty().get()).isEqualTo("host=127.0.0.1 port=54321 dbname=postgres user=dba");
        assertThat(report.canRollBackProperty().get()).isFalse();
        // a rehearsal leaves the cluster's own server alone
        assertThat(serverRestarts).isZero();

        report.discard();

        assertThat(backend.discarded).containsExactly(Path.of("/tmp/sandbox"));
        assertThat(report.canDiscardProperty().get()).isFalse();
        assertThat(report.connectionStringProperty().get()).isEmpty();
        report.exportHtml();
        assertThat(report.messageProperty().get()).startsWith("Report written to /archive/.pitr/reports/restore_1.html");
    }

    @Test
    void aSucceededInPlaceRestoreCanBeRolledBackOnce() {
        backend.inPlaceReports = true;
        toModeStep();
        vm.mode().modeProperty().set(RestoreMode.IN_PLACE);
        vm.mode().confirmationProperty().set("prod");
        vm.next();
        vm.next();

        assertThat(backend.ran.request().mode()).isEqualTo(RestoreMode.IN_PLACE);
        assertThat(backend.ran.request().destination()).contains(Path.of("/srv/pg/data"));
        assertThat(serverRestarts).isEqualTo(1);
        ReportActions report = vm.report();
        assertThat(report.canRollBackProperty().get()).isTrue();
        assertThat(report.canDiscardProperty().get()).isFalse();
        assertThat(report.connectionStringProperty().get()).isEmpty();

        report.rollBack();

        assertThat(report.reportProperty().get().rolledBack()).isTrue();
        assertThat(report.canRollBackProperty().get()).isFalse();
        assertThat(report.messageProperty().get()).startsWith("Rolled back");
        assertThat(serverRestarts).isEqualTo(2);
    }

    @Test
    void aTargetRequestedFromAnotherPageStartsOverAtTheTargetStepWithItFilledIn() {
        toModeStep();
        vm.startFrom(RecoveryTarget.time(T0.plusSeconds(250).atOffset(ZoneOffset.UTC)).withInclusive(false).onTimeline(1));

        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.TARGET);
        assertThat(vm.planProperty().get()).isNull();
        assertThat(vm.target().timeProperty().get()).isEqualTo("10:04:10");
        assertThat(vm.target().inclusiveProperty().get()).isFalse();
        assertThat(vm.target().targetProperty().get().time().toInstant()).isEqualTo(T0.plusSeconds(250));
        assertThat(vm.target().targetProperty().get().timeline()).isEqualTo(1);
        assertThat(vm.insideWindowProperty().get()).isTrue();
        vm.target().timelineProperty().set("2");
        assertThat(vm.insideWindowProperty().get()).isFalse();
        vm.target().timelineProperty().set("two");
        assertThat(vm.canNextProperty().get()).isFalse();

        vm.startFrom(RecoveryTarget.name("before_cleanup"));
        assertThat(vm.target().timelineProperty().get()).isEmpty();
        assertThat(vm.target().kindProperty().get()).isEqualTo(RecoveryTarget.Kind.NAME);
        assertThat(vm.target().restorePointProperty().get()).isEqualTo("before_cleanup");
        assertThat(vm.canNextProperty().get()).isTrue();
    }

    private void toModeStep() {
        vm.target().timeProperty().set("2026-11-25 10:04:00+00");
        vm.next();
        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.MODE);
    }

    private static SegmentInfo seg(long n, List<RestorePoint> points) {
        WalSegmentName name = new WalSegmentName(1, n, SEG);
        Instant last = T0.plusSeconds(60 * n).plusNanos(123_456_000L);
        return new SegmentInfo(name, Path.of(name.toString()), SEG, new Lsn(n * SEG + 40), new Lsn(n * SEG + SEG - 100),
                Optional.of(last.minusSeconds(30)), Optional.of(last), points, true, Optional.empty());
    }

    /** One backup ending 10:03:05, WAL to 10:05:00.123456, then a gap (segments 6 and 7) and two more segments. */
    private final class FakeBackend implements RestoreBackend {
        final Instant before = T0.plusSeconds(300).plusNanos(123_455_000L);
        final Instant after = T0.plusSeconds(546);
        final List<Path> discarded = new ArrayList<>();
        RestorePlan ran;
        final List<RestoreReport> saved = new ArrayList<>();
        boolean inPlaceReports;

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
            return Optional.of(Path.of("/srv/pg/data"));
        }

        @Override
        public RecoveryWindows windows(ProgressListener progress, Cancellation cancel) {
            BackupRecord b = new BackupRecord(1, "backup_20261125_100300", "b", BackupStatus.COMPLETE, T0.plusSeconds(165),
                    T0.plusSeconds(185), "backup-history-file", new Lsn(3 * SEG + 0x28), new Lsn(3 * SEG + 0x100),
                    new Lsn(3 * SEG + 0x60), 1, "15", "1", SEG, null, 0, 0, "localhost", 5432, List.of(), List.of(), 1.0, null, null, null);
            List<SegmentInfo> segs = new ArrayList<>();
            segs.add(seg(3, List.of()));
            segs.add(seg(4, List.of(new RestorePoint("before_cleanup", T0.plusSeconds(250), new Lsn(4 * SEG + 500), 1))));
            segs.add(seg(5, List.of()));
            segs.add(seg(8, List.of()));
            return RecoveryWindows.compute(List.of(b), WalArchiveIndex.of(SEG, segs, TimelineHistory.empty()));
        }

        @Override
        public RestorePlan plan(RestoreRequest request, ProgressListener progress, Cancellation cancel) {
            planned.add(request);
            RecoveryTarget t = request.target();
            if (t.kind() == RecoveryTarget.Kind.TIME && t.time().toInstant().isAfter(T0.plusSeconds(300).plusNanos(123_455_000L))) {
                throw new TargetRefusedException("the target " + t.describe() + " lies in a gap of the WAL archive",
                        "nearest restorable moments: ...", List.of(before, after));
            }
            return new RestorePlan("backup_20261125_100300", t.onTimeline(1), request.mode(), Path.of("/tmp/sandbox/data"), 54321,
                    List.of("000000010000000000000003"), SEG, 1000, Map.of("recovery_target_timeline", "1"), Map.of(), 12.5,
                    "defaults", List.of("backup ends before the target"), List.of(), request);
        }

        @Override
        public RestoreReport run(RestorePlan plan, RestoreListener listener, Cancellation cancel) {
            ran = plan;
            listener.stepStarted("extract backup");
            listener.progress("extract backup", 5, 10, "base.tar");
            listener.stepFinished("extract backup", 1.5);
            listener.stepStarted("recover to target");
            listener.serverLogLine("LOG: recovery stopping before commit of transaction 740");
            listener.stepFinished("recover to target", 2.0);
            RestoreReport r = new RestoreReport("restore_1", RestoreReport.SUCCEEDED, plan.request().mode(), plan.backupId(),
                    plan.target().describe(), plan.target(), "/tmp/sandbox/data", 54321, plan.request().keep(), T0, T0.plusSeconds(4),
                    List.of(new RestoreReport.Step("extract backup", 1.5, "3 files"), new RestoreReport.Step("recover to target", 2.0, "x")),
                    "LOG: recovery stopping before commit of transaction 740", 2,
                    List.of(new RestoreReport.Check("row counts", true, "public.t=100")), Map.of("public.t", 100L), 4.0, 1000, 1,
                    "/tmp/sandbox/server.log", inPlaceReports ? null : "/tmp/sandbox",
                    inPlaceReports ? Map.of("/srv/pg/data", "/srv/pg/data.pitr-old-restore_1") : Map.of(), false, List.of(), null, null);
            saved.add(r);
            return r;
        }

        @Override
        public List<RestoreReport> history() {
            return List.copyOf(saved);
        }

        @Override
        public Path discard(Path sandbox) {
            discarded.add(sandbox);
            return sandbox;
        }

        @Override
        public RestoreReport rollback(String restoreId) {
            RestoreReport r = saved.stream().filter(x -> x.id().equals(restoreId)).findFirst().orElseThrow();
            return r.toBuilder().status(RestoreReport.ROLLED_BACK).rolledBack(true).build();
        }

        @Override
        public Path exportHtml(RestoreReport report) {
            return Path.of("/archive/.pitr/reports/" + report.id() + ".html");
        }
    }
}

package io.pitrconsole.ui.restore;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.stage.WindowEvent;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The restore wizard driven through its window against a real cluster whose archive has rows
 * committed at known moments and a lost WAL segment: a rehearsal to a time between two commits,
 * a target in the gap refused with clickable suggestions, and an in-place restore cancelled
 * midway that leaves the original data directory as it was.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RestoreWizardTest {
    private static final DateTimeFormatter TYPED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    static OffsetDateTime betweenFirstAndSecond;
    static OffsetDateTime inTheGap;
    static String firstBackup;

    @TempDir
    Path config;

    private ConsoleModel model;
    private RestoreWizardViewModel vm;

    static OffsetDateTime serverNow(PgTestCluster c) {
        return OffsetDateTime.parse(c.queryOne("SELECT to_char(clock_timestamp(), 'YYYY-MM-DD\"T\"HH24:MI:SS.USOF')"),
                DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSX"));
    }

    @BeforeAll
    static void history() throws Exception {
        PgTestCluster c = pg.cluster();
        BackupService backups = new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext());
        c.sql("CREATE TABLE t (id int, batch int)");
        firstBackup = backups.create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none()).backup().id();
        c.sql("INSERT INTO t SELECT g, 1 FROM generate_series(1, 100) g");
        betweenFirstAndSecond = serverNow(c).plusNanos(700_000_000L);
        Thread.sleep(1500);
        c.sql("INSERT INTO t SELECT g, 2 FROM generate_series(1, 50) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t SELECT g, 3 FROM generate_series(1, 3) g");
        Thread.sleep(300);
        inTheGap = serverNow(c);
        Thread.sleep(300);
        c.sql("INSERT INTO t SELECT g, 4 FROM generate_series(1, 4) g");
        String lost = c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        c.sql("INSERT INTO t SELECT g, 5 FROM generate_series(1, 5) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        Files.move(c.walArchive().resolve(lost), c.baseDir().resolve(lost));
        backups.create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none());
        c.sql("INSERT INTO t SELECT g, 6 FROM generate_series(1, 6) g");
        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
    }

    @Start
    void start(Stage stage) {
        RestoreConsole console = RestoreConsole.open(stage, config, pg.cluster());
        model = console.model();
        vm = console.wizard();
    }

    @Test
    @Order(1)
    void rehearsalToATimeBetweenTwoCommitsReportsTheRowsOfTheFirstAndIsDiscarded(FxRobot robot) throws Exception {
        openWizardAndType(robot, betweenFirstAndSecond);
        assertThat(text(robot, "#target-window-check")).startsWith("inside the recovery window of " + firstBackup);

        robot.clickOn("#restore-next");
        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.MODE);
        robot.clickOn("#mode-keep");
        robot.clickOn("#restore-next");
        waitFor(60, () -> vm.planProperty().get() != null || !vm.planErrorProperty().get().isEmpty());
        assertThat(vm.planErrorProperty().get()).isEmpty();
        assertThat(text(robot, "#plan-chosen-backup")).isEqualTo(firstBackup);
        assertThat(robot.lookup("#plan-settings").queryAs(TextArea.class).getText())
                .contains("recovery_target_time = '" + betweenFirstAndSecond.format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")))
                .contains("recovery_target_timeline = '1'");
        assertThat(robot.lookup("#plan-wal").queryAs(ListView.class).getItems()).isNotEmpty();
        assertThat(text(robot, "#plan-where")).startsWith("rehearsal in ");

        robot.clickOn("#restore-next");
        waitFor(240, () -> vm.stepProperty().get() == WizardStep.REPORT);

        RestoreReport r = vm.report().reportProperty().get();
        assertThat(r.status()).as(r.error() + " / " + r.hint()).isEqualTo(RestoreReport.SUCCEEDED);
        assertThat(text(robot, "#report-status")).endsWith("SUCCEEDED");
        assertThat(text(robot, "#report-reached")).contains("recovery stopping before commit");
        assertThat(text(robot, "#report-rto")).startsWith("Measured RTO: ");
        assertThat(items(robot, "#report-checks")).contains("\u2713 pass  row counts: public.t=100");
        assertThat(items(robot, "#report-rows")).containsExactly("public.t = 100");
        assertThat(vm.run().steps()).extracting(StepRow::name).contains("extract backup", "recover to target", "verify");
        assertThat(vm.run().steps()).allSatisfy(s -> assertThat(s.stateProperty().get()).isEqualTo(StepRow.State.DONE));
        assertThat(vm.run().logTail()).anyMatch(l -> l.contains("recovery stopping before commit"));
        Path sandbox = Path.of(r.sandbox());
        assertThat(sandbox.resolve("data/postmaster.pid")).exists();
        assertThat(robot.lookup("#report-connection").queryAs(javafx.scene.control.TextField.class).getText())
                .isEqualTo("host=127.0.0.1 port=" + r.port() + " dbname=postgres user=postgres");

        robot.clickOn("#report-export");
        waitFor(20, () -> text(robot, "#report-message").startsWith("Report written to "));
        Path html = pg.cluster().archiveDir().resolve(".pitr/reports/" + r.id() + ".html");
        assertThat(text(robot, "#report-message")).contains(html.toString());
        assertThat(Files.readString(html)).contains("public.t").contains("recovery stopping before commit");

        robot.clickOn("#report-discard");
        waitFor(60, () -> text(robot, "#report-message").contains("stopped and removed"));
        assertThat(sandbox).doesNotExist();
        assertThat(robot.lookup("#report-discard").queryAs(Button.class).isDisabled()).isTrue();

        robot.clickOn("#tab-history");
        waitFor(20, () -> robot.lookup("#history-table").queryAs(TableView.class).getItems().stream()
                .anyMatch(x -> ((RestoreReport) x).id().equals(r.id())));
        assertThat(HistoryView.result(vm.report().history().get(0))).isEqualTo("pass");
    }

    @Test
    @Order(2)
    void aTargetInAWalGapIsRefusedWithTheNearestMomentsAndAClickedSuggestionPlans(FxRobot robot) throws Exception {
        // as the Recovery Timeline's "restore to here" does it
        robot.interact(() -> model.requestRestore(RecoveryTarget.time(inTheGap)));
        waitFor(60, () -> vm.windowsProperty().get() != null);
        assertThat(text(robot, "#page-title")).isEqualTo(Pages.RESTORE);
        assertThat(model.restoreTargetRequestProperty().get()).isNull();
        assertThat(vm.stepProperty().get()).isEqualTo(WizardStep.TARGET);
        assertThat(vm.target().targetProperty().get().time().toInstant()).isEqualTo(inTheGap.toInstant());
        assertThat(text(robot, "#target-window-check")).startsWith("outside every recovery window");

        robot.clickOn("#restore-next");
        robot.clickOn("#restore-next");
        waitFor(60, () -> vm.planProperty().get() != null || !vm.planErrorProperty().get().isEmpty());
        assertThat(text(robot, "#plan-error")).contains("lies in a gap of the WAL archive");
        assertThat(text(robot, "#plan-hint")).startsWith("nearest restorable moments: ")
                // the console's words, not the command line's
                .contains("choose Latest").doesNotContain("--");
        assertThat(vm.suggestions()).hasSize(2);
        assertThat(vm.suggestions().get(0)).isBefore(inTheGap.toInstant());
        assertThat(vm.suggestions().get(1)).isAfter(inTheGap.toInstant());
        assertThat(robot.lookup("#restore-next").queryAs(Button.class).isDisabled()).isTrue();
        java.time.Instant earlier = vm.suggestions().get(0);

        robot.clickOn("#plan-suggestion-0");
        waitFor(60, () -> vm.planProperty().get() != null || !vm.planErrorProperty().get().isEmpty());
        assertThat(vm.planErrorProperty().get()).isEmpty();
        assertThat(text(robot, "#plan-chosen-backup")).isEqualTo(firstBackup);
        assertThat(vm.planProperty().get().target().time().toInstant()).isEqualTo(earlier);
        assertThat(robot.lookup("#restore-next").queryAs(Button.class).isDisabled()).isFalse();
    }

    @Test
    @Order(3)
    void aCancelledInPlaceRestorePutsTheOriginalDataDirectoryBackAndRestartsIt(FxRobot robot) throws Exception {
        PgTestCluster c = pg.cluster();
        String rowsBefore = c.queryOne("SELECT count(*) FROM t");
        String versionBefore = sha256(c.dataDir().resolve("PG_VERSION"));
        Set<String> filesBefore = listing(c.dataDir());
        String systemIdBefore = c.queryOne("SELECT system_identifier FROM pg_control_system()");

        openWizardAndType(robot, betweenFirstAndSecond);
        robot.clickOn("#restore-next");
        robot.clickOn("#mode-in-place");
        assertThat(robot.lookup("#mode-data-dir").queryAs(javafx.scene.control.TextField.class).getText()).isEqualTo(c.dataDir().toString());
        assertThat(robot.lookup("#restore-next").queryAs(Button.class).isDisabled()).isTrue();
        robot.clickOn("#mode-confirm").write("itest");
        assertThat(robot.lookup("#restore-next").queryAs(Button.class).isDisabled()).isFalse();
        robot.clickOn("#restore-next");
        waitFor(60, () -> vm.planProperty().get() != null || !vm.planErrorProperty().get().isEmpty());
        assertThat(vm.planErrorProperty().get()).isEmpty();
        assertThat(text(robot, "#plan-where")).isEqualTo("in place, over " + c.dataDir());
        // Cancel as the old directory is moved aside, before the backup is laid down in its place. A robot click
        // takes longer than the rest of a restore this small, so the button is pressed the moment the step shows.
        Button cancel = robot.lookup("#restore-cancel").queryAs(Button.class);
        boolean[] closeRefused = {false};
        vm.run().steps().addListener((ListChangeListener<StepRow>) change -> {
            while (change.next()) {
                if (change.getAddedSubList().stream().anyMatch(s -> s.name().equals("move data directory aside"))) {
                    // closing the window now would end the process mid-restore: it is refused
                    Window w = cancel.getScene().getWindow();
                    w.fireEvent(new WindowEvent(w, WindowEvent.WINDOW_CLOSE_REQUEST));
                    closeRefused[0] = w.isShowing() && model.notices().stream().anyMatch(n -> n.message().startsWith("A restore is running"));
                    assertThat(cancel.isDisabled()).isFalse();
                    cancel.fire();
                }
            }
        });
        robot.clickOn("#restore-next");
        waitFor(240, () -> vm.stepProperty().get() == WizardStep.REPORT);

        RestoreReport r = vm.report().reportProperty().get();
        assertThat(closeRefused[0]).isTrue();
        assertThat(r.status()).as(r.error()).isEqualTo(RestoreReport.ROLLED_BACK);
        assertThat(r.error()).contains("cancelled");
        assertThat(r.steps()).extracting(RestoreReport.Step::name).contains("move data directory aside", "put back old data directory",
                "restart server");
        assertThat(text(robot, "#report-status")).endsWith("ROLLED BACK");
        assertThat(c.control().isRunning(c.dataDir())).isTrue();
        assertThat(c.queryOne("SELECT count(*) FROM t")).isEqualTo(rowsBefore);
        assertThat(c.queryOne("SELECT system_identifier FROM pg_control_system()")).isEqualTo(systemIdBefore);
        assertThat(sha256(c.dataDir().resolve("PG_VERSION"))).isEqualTo(versionBefore);
        assertThat(listing(c.dataDir())).isEqualTo(filesBefore);
        try (Stream<Path> s = Files.list(c.dataDir().getParent())) {
            assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.contains(".pitr-old-"));
        }
    }

    private void openWizardAndType(FxRobot robot, OffsetDateTime at) throws Exception {
        robot.clickOn("#nav-restore");
        waitFor(60, () -> vm.windowsProperty().get() != null);
        robot.clickOn("#target-kind-time");
        robot.clickOn("#target-time").write(TYPED.format(at));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(vm.target().targetProperty().get().time().toInstant()).isEqualTo(at.toInstant());
    }

    private static void waitFor(int seconds, java.util.concurrent.Callable<Boolean> condition) throws Exception {
        WaitForAsyncUtils.waitFor(seconds, TimeUnit.SECONDS, condition);
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    @SuppressWarnings("unchecked")
    private static List<String> items(FxRobot robot, String id) {
        return List.copyOf(robot.lookup(id).queryAs(ListView.class).getItems());
    }

    /** Top-level names and every file under base/ and global/, without what a running server adds or removes. */
    private static Set<String> listing(Path dataDir) throws IOException {
        try (Stream<Path> s = Files.walk(dataDir)) {
            return s.map(p -> dataDir.relativize(p).toString())
                    .filter(n -> !n.isEmpty() && (!n.contains("/") || n.startsWith("base/") || n.startsWith("global/")))
                    .filter(n -> !n.equals("postmaster.pid") && !n.equals("postmaster.opts") && !n.startsWith("global/pg_internal.init")
                            && !n.contains("pg_internal.init"))
                    .collect(Collectors.toSet());
        }
    }

    private static String sha256(Path p) throws Exception {
        try (InputStream in = Files.newInputStream(p)) {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
    }
}

package io.pitrconsole.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.backup.BackupRequest;
import io.pitrconsole.backup.BackupService;
import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.it.PgTestCluster;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferencesStore;
import io.pitrconsole.ui.shell.MainWindow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javafx.geometry.Point2D;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.image.WritableImage;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The Recovery Timeline page in the real window over a real archive: a backup, commits spread
 * over a few seconds after it and a restore point, all archived. A click inside the window offers
 * "Restore to here..." and hands the restore wizard a time inside the window; a click before the
 * backup offers nothing.
 */
@ExtendWith(ApplicationExtension.class)
class RecoveryTimelinePageTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    private static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
    private static BackupRecord backup;
    private static RecoveryWindow window;

    @TempDir
    Path config;

    private ConsoleModel model;
    private RecoveryTimelinePage page;

    @BeforeAll
    static void backupThenCommitsAndARestorePoint() throws Exception {
        PgTestCluster c = pg.cluster();
        c.sql("CREATE TABLE orders(id serial PRIMARY KEY, note text)");
        backup = new BackupService(LocalDirectoryRepository.at(c.archiveDir()), c.pgContext())
                .create(BackupRequest.defaults(c.connection()), ProgressListener.NONE, Cancellation.none()).backup();
        try (Connection con = c.connect(); Statement st = con.createStatement()) {
            // the window starts a second after the recorded stop; commit for a few seconds after that
            Instant until = backup.stopTime().plusSeconds(4);
            int n = 0;
            while (now(st).isBefore(until)) {
                st.execute("INSERT INTO orders(note) VALUES ('o" + n++ + "')");
                if (n == 5) {
                    st.execute("SELECT pg_create_restore_point('before_price_change')");
                }
                st.execute("SELECT pg_sleep(0.1)");
            }
        }
        c.switchWalAndWaitArchived(Duration.ofSeconds(60));
        window = new WindowService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(c.archiveDir())).windows(ProgressListener.NONE, Cancellation.none())
                .windows().get(0);
    }

    private static Instant now(Statement st) throws Exception {
        try (ResultSet rs = st.executeQuery("SELECT clock_timestamp()")) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }

    @Start
    void start(Stage stage) {
        PgTestCluster c = pg.cluster();
        ProfileStore store = new ProfileStore(config.resolve("profiles.json"));
        store.put(new Profile("it", c.connection().host(), c.port(), PgTestCluster.SUPERUSER, "postgres", c.dataDir().toString(),
                null, c.archiveDir().toString(), c.installation().binDir().toString()), true);
        model = new ConsoleModel(Map.of(), store, new UiPreferencesStore(config.resolve("ui.json")));
        var pages = Pages.create(model).stream()
                .map(p -> p.title().equals(Pages.TIMELINE) ? (page = new RecoveryTimelinePage(model, ZONE)) : p).toList();
        MainWindow window = new MainWindow(model, pages);
        stage.setScene(window.scene(1200, 800));
        stage.show();
        model.reloadProfiles();
    }

    private RecoveryTimeline openTimeline(FxRobot robot) throws Exception {
        robot.clickOn("#nav-recovery-timeline");
        RecoveryTimeline timeline = robot.lookup("#recovery-timeline").queryAs(RecoveryTimeline.class);
        WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> !timeline.dataProperty().get().lanes().isEmpty());
        // show the backup's start to a second past the window, whatever else the archive holds
        robot.interact(() -> timeline.scaleProperty().set(TimeScale.fit(TimeScale.micros(backup.startTime().minusSeconds(2)),
                TimeScale.micros(window.to().plusSeconds(1)), timeline.getWidth(), 0.04)));
        WaitForAsyncUtils.waitForFxEvents();
        return timeline;
    }

    private static Point2D screenPoint(RecoveryTimeline timeline, Instant t, int lane) {
        return timeline.localToScreen(timeline.scaleProperty().get().x(t), TimelineRenderer.laneTop(lane) + TimelineRenderer.LANE / 2);
    }

    @Test
    void showsTheLaneWithTheBackupTheRestorableRangeAndTheRestorePoint(FxRobot robot) throws Exception {
        RecoveryTimeline timeline = openTimeline(robot);

        TimelineData.Lane lane = timeline.dataProperty().get().lane(1).orElseThrow();
        assertThat(lane.backups().all()).extracting(TimelineData.BackupMark::id).contains(backup.id());
        assertThat(lane.restorePoints().all()).extracting(p -> p.name()).containsExactly("before_price_change");
        assertThat(robot.lookup("#timeline-loading").query().isVisible()).isFalse();
        assertThat(robot.lookup("#timeline-summary").queryAs(Label.class).getText())
                .startsWith("1 backup(s)").contains("no gaps").contains("1 restore point(s)");

        // the restorable bar is drawn in the middle of the window, not beside it
        Instant mid = window.from().plus(Duration.between(window.from(), window.to()).dividedBy(2));
        double x = timeline.scaleProperty().get().x(mid);
        WritableImage frame = snapshot(robot, timeline);
        Color inside = frame.getPixelReader().getColor((int) x, (int) (TimelineRenderer.laneTop(0) + TimelineRenderer.RESTORABLE_Y + 3));
        Color before = frame.getPixelReader().getColor((int) timeline.scaleProperty().get().x(backup.startTime().minusSeconds(1)),
                (int) (TimelineRenderer.laneTop(0) + TimelineRenderer.RESTORABLE_Y + 3));
        assertThat(inside).isEqualTo(TimelinePalette.light().restorable());
        assertThat(before).isNotEqualTo(TimelinePalette.light().restorable());

        // hovering names the exact time with its offset and says it is restorable; hover in the
        // larger stretch beside the restore point, whose flag has a tip of its own
        Instant point = lane.restorePoints().all().get(0).time();
        Instant hover = point.isBefore(mid)
                ? point.plus(Duration.between(point, window.to()).dividedBy(2))
                : window.from().plus(Duration.between(window.from(), point).dividedBy(2));
        robot.moveTo(screenPoint(timeline, hover, 0));
        WaitForAsyncUtils.waitForFxEvents();
        String tip = robot.lookup("#timeline-tip").queryAs(Label.class).getText();
        assertThat(tip).containsPattern("\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}\\.\\d{6}\\+0[12]:00").contains("restorable")
                .doesNotContain("not restorable").contains("segment ");
    }

    private static WritableImage snapshot(FxRobot robot, RecoveryTimeline timeline) {
        WritableImage[] img = new WritableImage[1];
        robot.interact(() -> {
            timeline.paint();
            img[0] = timeline.snapshot(null, null);
        });
        return img[0];
    }

    @Test
    void clickingInsideTheWindowOffersRestoreToHereWithThatTime(FxRobot robot) throws Exception {
        RecoveryTimeline timeline = openTimeline(robot);
        Instant mid = window.from().plus(Duration.between(window.from(), window.to()).dividedBy(2));

        robot.clickOn(screenPoint(timeline, mid, 0));
        WaitForAsyncUtils.waitForFxEvents();

        Button restore = robot.lookup("#timeline-restore").queryAs(Button.class);
        assertThat(restore.isVisible()).isTrue();
        assertThat(robot.lookup("#timeline-backup").queryAs(Label.class).getText()).contains(backup.id());
        assertThat(robot.lookup("#timeline-wal").queryAs(Label.class).getText()).containsPattern("Replays [1-9]\\d* WAL segment");
        // The restore page takes the request and clears it, so it is caught as it is made.
        java.util.List<RecoveryTarget> requested = new java.util.ArrayList<>();
        model.restoreTargetRequestProperty().addListener((o, a, t) -> {
            if (t != null) {
                requested.add(t);
            }
        });
        robot.clickOn("#timeline-restore");
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(requested).hasSize(1);
        RecoveryTarget target = requested.get(0);
        assertThat(target.kind()).isEqualTo(RecoveryTarget.Kind.TIME);
        assertThat(target.timeline()).isEqualTo(1);
        Instant chosen = target.time().toInstant();
        assertThat(chosen).isBetween(window.from(), window.to());
        // the click lands on a pixel: the target is the moment under it, to within a pixel or two
        double mpp = timeline.scaleProperty().get().microsPerPixel();
        assertThat(Math.abs(TimeScale.micros(chosen) - TimeScale.micros(mid))).isLessThanOrEqualTo((long) (2 * mpp) + 1);
        assertThat(target.time().getOffset()).isEqualTo(ZONE.getRules().getOffset(chosen));
        assertThat(robot.lookup("#page-title").queryAs(Label.class).getText()).isEqualTo(Pages.RESTORE);
        // the wizard opened on its target step with that moment filled in, as the user reads it
        var local = chosen.atZone(ZONE);
        assertThat(robot.lookup("#target-date").queryAs(javafx.scene.control.DatePicker.class).getValue()).isEqualTo(local.toLocalDate());
        assertThat(robot.lookup("#target-time").queryAs(javafx.scene.control.TextField.class).getText())
                .isEqualTo(java.time.format.DateTimeFormatter.ofPattern(local.getNano() == 0 ? "HH:mm:ss" : "HH:mm:ss.SSSSSS")
                        .format(local.toLocalTime()));
    }

    @Test
    void clickingBeforeTheBackupOrAfterTheLastCommitOffersNoRestore(FxRobot robot) throws Exception {
        RecoveryTimeline timeline = openTimeline(robot);

        robot.clickOn(screenPoint(timeline, backup.startTime().minusMillis(500), 0));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#timeline-restore").queryAs(Button.class).isVisible()).isFalse();
        assertThat(robot.lookup("#timeline-moment").queryAs(Label.class).getText()).endsWith("not restorable");
        assertThat(robot.lookup("#timeline-backup").queryAs(Label.class).getText()).startsWith("Nearest restorable: ");

        robot.clickOn(screenPoint(timeline, window.to().plusMillis(700), 0));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(robot.lookup("#timeline-restore").queryAs(Button.class).isVisible()).isFalse();
        assertThat(model.restoreTargetRequestProperty().get()).isNull();
    }
}

package io.pitrconsole.ui.docs;

import io.pitrconsole.ui.App;
import io.pitrconsole.wal.RestorePoint;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import javafx.application.Platform;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.TextInputControl;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * Walks the real console's restore wizard on the practice cluster and saves each step for the user
 * guide: target, plan, mode (rehearsal and in place), run, report, and the rehearsal history. It runs
 * in a real X display (docs/screenshots/take.sh starts Xvfb), not in the headless Monocle toolkit the
 * tests use, so the pictures are what a user sees. The profile comes from XDG_CONFIG_HOME.
 *
 * <p>Usage: {@code WizardScreenshots OUTPUT_DIR}
 */
public final class WizardScreenshots {
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private WizardScreenshots() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: WizardScreenshots OUTPUT_DIR");
            System.exit(2);
        }
        System.setProperty("testfx.robot", "glass");
        int status = 0;
        try {
            Stage stage = FxToolkit.registerPrimaryStage();
            FxToolkit.setupApplication(App.class);
            FxRobot robot = new FxRobot();
            walk(robot, new WindowShots(robot, stage, Path.of(args[0])));
        } catch (Exception | AssertionError e) {
            System.err.println("error: " + e.getMessage());
            e.printStackTrace();
            status = 1;
        } finally {
            Platform.exit();
        }
        System.exit(status);
    }

    private static void walk(FxRobot robot, WindowShots shots) throws Exception {
        robot.clickOn("#nav-restore");
        shots.await("the restore wizard", 30, () -> shots.shown("#step-target"));
        ListView<RestorePoint> points = robot.lookup("#target-restore-points").query();
        shots.await("the restore points of the practice history", 60, () -> points.getItems().size() >= 2);

        // a time between the two restore points: inside a recovery window, after the price change
        List<RestorePoint> rp = List.copyOf(points.getItems());
        Instant a = rp.get(0).time();
        Instant b = rp.get(rp.size() - 1).time();
        Instant target = a.plus(Duration.between(a, b).dividedBy(2)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        robot.clickOn("#target-kind-time");
        ZoneId zone = ZoneId.systemDefault();
        DatePicker date = robot.lookup("#target-date").query();
        robot.interact(() -> date.setValue(target.atZone(zone).toLocalDate()));
        TextField time = robot.lookup("#target-time").query();
        robot.interact(time::clear);
        robot.clickOn(time).write(CLOCK.format(target.atZone(zone)));
        shots.await("the window check of the typed time", 20, () -> !text("#target-window-check", robot).isBlank());
        shots.save("restore-1-target");

        robot.clickOn("#restore-next");
        shots.await("the plan", 60, () -> shots.shown("#step-plan") && !shots.shown("#plan-planning")
                && !text("#plan-settings", robot).isBlank());
        shots.save("restore-2-plan");

        robot.clickOn("#restore-next");
        shots.await("the mode step", 20, () -> shots.shown("#step-mode"));
        shots.save("restore-3-mode");
        robot.clickOn("#mode-in-place");
        shots.await("the in-place fields", 10, () -> shots.shown("#mode-data-dir"));
        shots.save("restore-3-mode-in-place");
        robot.clickOn("#mode-rehearsal");
        shots.await("rehearsal chosen again", 10, () -> !shots.shown("#mode-data-dir"));

        robot.clickOn("#restore-next");
        shots.await("the run step with its first lines of progress", 120, () -> shots.shown("#step-report")
                || shots.shown("#step-run") && robot.lookup("#run-log").queryListView().getItems().size() > 0);
        if (shots.shown("#step-run")) {
            shots.save("restore-4-run");
        } else {
            System.err.println("warning: the rehearsal ended before its run step could be captured");
        }
        shots.await("the rehearsal report", 600, () -> shots.shown("#step-report"));
        shots.save("restore-5-report");

        robot.clickOn("#tab-history");
        TableView<?> history = robot.lookup("#history-table").query();
        shots.await("the rehearsal history", 30, () -> !history.getItems().isEmpty());
        shots.save("restore-history");
    }

    private static String text(String id, FxRobot robot) {
        Object n = robot.lookup(id).query();
        String t = n instanceof Labeled l ? l.getText() : n instanceof TextInputControl c ? c.getText() : null;
        return t == null ? "" : t;
    }
}

package io.pitrconsole.ui.docs;

import io.pitrconsole.ui.App;
import io.pitrconsole.ui.timeline.TimelineRenderer;
import io.pitrconsole.wal.RestorePoint;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.geometry.Point2D;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * Clicks through the real console on the practice cluster and saves what the user guide shows:
 * a moment picked on the recovery timeline, "Restore to here...", every step of the restore wizard
 * with a real rehearsal, the rehearsal history, then an in-place restore of the practice cluster and
 * its roll-back. It runs in a real X display (docs/screenshots/take.sh starts Xvfb), not in the
 * headless Monocle toolkit the tests use, so the pictures are what a user sees. The profile comes
 * from XDG_CONFIG_HOME.
 *
 * <p>Usage: {@code ConsoleScreenshots OUTPUT_DIR}
 */
public final class ConsoleScreenshots {
    private static final String PRACTICE_PROFILE = "practice";

    private ConsoleScreenshots() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: ConsoleScreenshots OUTPUT_DIR");
            System.exit(2);
        }
        System.setProperty("testfx.robot", "glass");
        int status = 0;
        try {
            Stage stage = FxToolkit.registerPrimaryStage();
            FxToolkit.setupApplication(App.class);
            FxRobot robot = new FxRobot();
            ConsoleScreenshots.walk(robot, new WindowShots(robot, stage, Path.of(args[0])));
        } catch (Exception | AssertionError e) {
            System.err.println("error: " + e.getMessage());
            e.printStackTrace();
            status = 1;
        } finally {
            Platform.exit();
        }
        System.exit(status);
    }

    /** Each part on its own: one that fails is reported and the others still run. */
    private static void walk(FxRobot robot, WindowShots shots) throws Exception {
        java.util.List<String> failed = new java.util.ArrayList<>();
        part("profile dialog", failed, () -> profileDialog(robot, shots));
        part("backups", failed, () -> backups(robot, shots));
        part("archiving", failed, () -> archiving(robot, shots));
        part("schedule", failed, () -> schedule(robot, shots));
        part("timeline and rehearsal", failed, () -> {
            timelineToWizard(robot, shots);
            rehearsal(robot, shots);
        });
        part("dashboard", failed, () -> dashboard(robot, shots));
        part("in-place restore and roll-back", failed, () -> inPlaceAndRollBack(robot, shots));
        if (!failed.isEmpty()) {
            throw new IllegalStateException("failed: " + String.join(", ", failed));
        }
    }

    private interface Part {
        void run() throws Exception;
    }

    private static void part(String name, java.util.List<String> failed, Part p) {
        try {
            p.run();
        } catch (Exception | AssertionError e) {
            System.err.println("error in " + name + ": " + e.getMessage());
            failed.add(name);
        }
    }

    /** The add-profile dialog filled in for a made-up production cluster, then cancelled. */
    private static void profileDialog(FxRobot robot, WindowShots shots) throws Exception {
        show(robot, shots, "Settings");
        robot.clickOn("#profile-add");
        shots.await("the profile dialog", 20, () -> shots.shown("#profile-name"));
        String[][] fields = {{"#profile-name", "prod"}, {"#profile-host", "db1.example.com"}, {"#profile-port", "5432"},
            {"#profile-user", "backup"}, {"#profile-data-dir", "/var/lib/postgresql/15/main"}, {"#profile-archive", "/srv/pitr"}};
        for (String[] f : fields) {
            TextInputControl t = robot.lookup(f[0]).queryAs(TextInputControl.class);
            robot.interact(() -> t.setText(f[1]));
        }
        shots.saveDialog("profile-dialog", robot.lookup("#profile-name").query());
        robot.clickOn("#profile-cancel");
        shots.await("the dialog closed", 10, () -> !shots.shown("#profile-name"));
    }

    /** The practice cluster's archiving against a shorter archive_timeout, applied, then checked. */
    private static void archiving(FxRobot robot, WindowShots shots) throws Exception {
        show(robot, shots, "WAL Archiving");
        // the practice cluster already archives as 'archiving apply' would set it up; a shorter
        // archive_timeout gives the settings table and the Apply dialog a change to show
        javafx.scene.control.Spinner<Integer> timeout = robot.lookup("#archiving-timeout").query();
        robot.interact(() -> timeout.getValueFactory().setValue(60));
        shots.await("the archiving settings", 60, () -> !robot.lookup("#archiving-settings").queryTableView().getItems().isEmpty());
        Button apply = robot.lookup("#archiving-apply").queryButton();
        shots.await("the apply button", 60, () -> !apply.isDisabled());
        clickUntil(robot, shots, apply, "the apply dialog", () -> shots.shown("#apply-dialog"));
        shots.saveDialog("archiving-apply", robot.lookup("#apply-dialog").query());
        robot.clickOn("#apply-confirm");
        shots.await("the dialog closed", 10, () -> !shots.shown("#apply-dialog"));
        Button verify = robot.lookup("#archiving-verify").queryButton();
        shots.await("apply to finish", 120, () -> idle(robot) && !verify.isDisabled());
        // after a modal dialog closes, the first click may only give the window back its focus
        clickUntil(robot, shots, verify, "the verification to start",
                () -> !"Not verified yet.".equals(text("#archiving-verify-summary", robot)));
        shots.await("the verification", 180, () -> !verify.isDisabled()
                && !robot.lookup("#archiving-findings").queryAs(javafx.scene.layout.Pane.class).getChildren().isEmpty());
        shots.save("archiving-verify");
    }

    /** A cleanup preview and the health checks on the schedule page. */
    private static void schedule(FxRobot robot, WindowShots shots) throws Exception {
        show(robot, shots, "Schedule");
        TableView<?> jobs = robot.lookup("#schedule-jobs").queryTableView();
        Button install = robot.lookup("#schedule-install").queryButton();
        shots.await("the install button", 30, () -> !install.isDisabled());
        clickUntil(robot, shots, install, "the installed jobs", () -> !jobs.getItems().isEmpty()
                && jobs.getItems().stream().allMatch(j -> String.valueOf(j).contains("crontab")));
        scrollTo(robot, jobs, 0);
        shots.save("schedule-jobs");
        Button preview = robot.lookup("#cleanup-preview").queryButton();
        shots.await("the schedule page", 30, () -> shots.shown("#cleanup-preview") && !preview.isDisabled());
        robot.clickOn(preview);
        shots.await("the cleanup preview", 120, () -> !preview.isDisabled() && !text("#cleanup-total", robot).isBlank());
        Button health = robot.lookup("#health-check").queryButton();
        shots.await("the health button", 30, () -> !health.isDisabled());
        robot.clickOn(health);
        shots.await("the health checks", 120, () -> !health.isDisabled()
                && !robot.lookup("#health-checks").queryTableView().getItems().isEmpty());
        scrollTo(robot, robot.lookup("#health-checks").query(), 1);
        shots.save("schedule-cleanup-health");
    }

    /** Switches pages with the navigation button (a real click), as a user does. */
    private static void show(FxRobot robot, WindowShots shots, String title) {
        Node nav = robot.lookup("#nav-" + title.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")).query();
        clickUntil(robot, shots, nav, "the page " + title, () -> title.equals(text("#page-title", robot)));
    }

    /** Clicks until the click shows an effect: three tries, five seconds each. */
    private static void clickUntil(FxRobot robot, WindowShots shots, Node node, String what,
                                   java.util.concurrent.Callable<Boolean> effect) {
        for (int attempt = 1; ; attempt++) {
            robot.clickOn(node);
            try {
                shots.await(what, 5, effect);
                return;
            } catch (IllegalStateException e) {
                if (attempt == 3) {
                    throw e;
                }
            }
        }
    }

    /** Scrolls the page holding the node to its top (0) or its end (1). */
    private static void scrollTo(FxRobot robot, Node node, double where) {
        for (Node p = node.getParent(); p != null; p = p.getParent()) {
            if (p instanceof javafx.scene.control.ScrollPane sp) {
                robot.interact(() -> sp.setVvalue(sp.getVmin() + where * (sp.getVmax() - sp.getVmin())));
                return;
            }
        }
    }

    private static boolean idle(FxRobot robot) {
        return "idle".equals(robot.lookup("#status-bar").queryAs(org.controlsfx.control.StatusBar.class).getText());
    }

    /** The dashboard once there is a verified backup and a rehearsal to report. */
    private static void dashboard(FxRobot robot, WindowShots shots) throws Exception {
        show(robot, shots, "Dashboard");
        shots.await("the dashboard", 60, () -> shots.shown("#dash-grid") && idle(robot));
        shots.save("dashboard");
    }

    /** A backup's details, and a new backup taken with Ctrl+B. */
    private static void backups(FxRobot robot, WindowShots shots) throws Exception {
        show(robot, shots, "Backups");
        TableView<?> table = robot.lookup("#backup-table").queryTableView();
        shots.await("the practice backups", 60, () -> table.getItems().size() >= 3);
        int before = table.getItems().size();

        robot.press(KeyCode.CONTROL, KeyCode.B).release(KeyCode.B, KeyCode.CONTROL);
        shots.await("the create dialog", 20, () -> shots.shown("#create-label"));
        robot.clickOn("#create-label").write("before-upgrade");
        shots.saveDialog("backup-create", robot.lookup("#create-label").query());
        robot.clickOn("#create-ok");
        shots.await("the new backup in the table", 300, () -> table.getItems().size() > before
                && !robot.lookup("#backup-create").queryButton().isDisabled());
        // the new backup is the newest: select it (a click on a row can land on a spare, hidden cell)
        robot.interact(() -> table.getSelectionModel().select(0));
        shots.await("the backup's details", 30, () -> !text("#details-id", robot).isBlank());
        Button verify = robot.lookup("#backup-verify").queryButton();
        shots.await("the verify button", 30, () -> !verify.isDisabled());
        clickUntil(robot, shots, verify, "the verification to start", () -> verify.isDisabled()
                || String.valueOf(table.getItems().get(0)).contains("status=verified"));
        shots.await("the backup verified", 300, () -> String.valueOf(table.getItems().get(0)).contains("status=verified")
                && !verify.isDisabled());
        robot.interact(() -> table.getSelectionModel().select(0));
        shots.await("the verified backup's details", 30, () -> !text("#details-id", robot).isBlank());
        shots.save("backups-details");
    }

    /** A moment two thirds along the practice history, its details, and "Restore to here...". */
    private static void timelineToWizard(FxRobot robot, WindowShots shots) throws Exception {
        show(robot, shots, "Recovery Timeline");
        shots.await("the timeline's summary", 60, () -> text("#timeline-summary", robot).contains("backup"));
        Node canvas = robot.lookup("#recovery-timeline").query();
        Bounds b = canvas.getLayoutBounds();
        // the first lane's restorable bar lies just below the time axis
        robot.clickOn(robot.point(canvas).atPosition(javafx.geometry.Pos.TOP_LEFT)
                .atOffset(new Point2D(b.getWidth() * 0.66, TimelineRenderer.AXIS + TimelineRenderer.LANE / 2)));
        shots.await("the restore action of the picked moment", 20, () -> shots.shown("#timeline-restore"));
        robot.moveTo("#timeline-details"); // no hover tooltip over the canvas in the picture
        // notices of earlier parts fade after a few seconds; this picture heads the README
        shots.await("earlier notices to fade", 20, () -> robot.lookup("#notice").tryQuery().isEmpty());
        shots.save("timeline-moment");

        robot.clickOn("#timeline-restore");
        shots.await("the wizard with the picked moment", 30, () -> shots.shown("#step-target")
                && text("#target-window-check", robot).contains("inside"));
        shots.save("restore-1-target");
    }

    /** Mode, plan and a real rehearsal to its report, then the history of restores. */
    private static void rehearsal(FxRobot robot, WindowShots shots) throws Exception {
        robot.clickOn("#restore-next");
        shots.await("the mode step", 20, () -> shots.shown("#step-mode"));
        countShopRows(robot);
        shots.save("restore-2-mode");

        robot.clickOn("#restore-next");
        awaitPlan(robot, shots, "recovery_target_time");
        shots.save("restore-3-plan");

        robot.clickOn("#restore-next");
        runAndReport(robot, shots, "restore-4-run", "restore-5-report");

        robot.clickOn("#tab-history");
        TableView<?> history = robot.lookup("#history-table").query();
        shots.await("the rehearsal history", 30, () -> !history.getItems().isEmpty());
        shots.save("restore-history");
    }

    /** The practice cluster restored in place to a restore point, then rolled back. */
    private static void inPlaceAndRollBack(FxRobot robot, WindowShots shots) throws Exception {
        show(robot, shots, "Restore");
        robot.clickOn("#tab-wizard");
        robot.clickOn("#restore-new");
        shots.await("a new wizard", 20, () -> shots.shown("#step-target"));
        robot.clickOn("#target-kind-name");
        ListView<RestorePoint> points = robot.lookup("#target-restore-points").query();
        shots.await("the restore points", 30, () -> points.getItems().size() >= 2);
        RestorePoint last = points.getItems().get(points.getItems().size() - 1);
        robot.clickOn(robot.lookup("#target-restore-points").lookup(".list-cell")
                .match((Labeled c) -> c.getText() != null && c.getText().startsWith(last.name())).queryLabeled());
        shots.await("the restore point target", 20, () -> text("#target-summary", robot).contains(last.name()));
        shots.save("restore-1-target-restore-point");

        robot.clickOn("#restore-next");
        shots.await("the mode step", 20, () -> shots.shown("#step-mode"));
        robot.clickOn("#mode-in-place");
        shots.await("the in-place fields", 10, () -> shots.shown("#mode-data-dir"));
        countShopRows(robot);
        robot.clickOn("#mode-confirm").write(PRACTICE_PROFILE);
        Button next = robot.lookup("#restore-next").queryButton();
        shots.await("the confirmed in-place restore", 10, () -> !next.isDisabled());
        shots.save("restore-2-mode-in-place");

        robot.clickOn(next);
        awaitPlan(robot, shots, "recovery_target_name");
        Button start = robot.lookup("#restore-next").queryButton();
        shots.await("the in-place plan", 10, () -> !start.isDisabled());
        robot.clickOn(start);
        runAndReport(robot, shots, "restore-in-place-run", "restore-in-place-report");
        shots.await("the roll-back button", 10, () -> shots.shown("#report-rollback")
                && !robot.lookup("#report-rollback").queryButton().isDisabled());
        robot.clickOn("#report-rollback");
        shots.await("the roll-back", 300, () -> text("#report-message", robot).startsWith("Rolled back"));
        shots.save("restore-rolled-back");
    }

    /** The practice cluster's tables are in the schema shop: the checks count their rows. */
    private static void countShopRows(FxRobot robot) {
        robot.lookup("#mode-verify-schema").tryQuery().ifPresent(n -> {
            TextInputControl schema = (TextInputControl) n;
            robot.interact(schema::clear);
            robot.clickOn(schema).write("shop");
        });
    }

    private static void awaitPlan(FxRobot robot, WindowShots shots, String setting) {
        shots.await("the plan", 60, () -> shots.shown("#step-plan") && !shots.shown("#plan-planning")
                && text("#plan-settings", robot).contains(setting));
    }

    /** The run step caught while it runs (no waiting for a still picture), then the report. */
    private static void runAndReport(FxRobot robot, WindowShots shots, String run, String report) throws Exception {
        shots.await("the run step with the server's first log lines", 300, () -> shots.shown("#step-report")
                || shots.shown("#step-run") && !robot.lookup("#run-log").queryListView().getItems().isEmpty());
        if (shots.shown("#step-run")) {
            shots.saveNow(run);
        } else {
            System.err.println("warning: the restore ended before its run step could be captured");
        }
        shots.await("the report", 900, () -> shots.shown("#step-report") && !text("#report-status", robot).isBlank());
        shots.save(report);
    }

    private static String text(String id, FxRobot robot) {
        Object n = robot.lookup(id).query();
        String t = n instanceof Labeled l ? l.getText() : n instanceof TextInputControl c ? c.getText() : null;
        return t == null ? "" : t;
    }
}

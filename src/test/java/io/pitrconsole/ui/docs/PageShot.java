package io.pitrconsole.ui.docs;

import io.pitrconsole.ui.App;
import java.nio.file.Path;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;

/**
 * Opens the real console (profiles from XDG_CONFIG_HOME) in a real X display, shows one page, waits
 * for a node to be shown, dismisses the notices and saves the window as OUTPUT_DIR/NAME.png.
 *
 * <p>Usage: {@code PageShot OUTPUT_DIR NAME NAV_ID SHOWN_ID}, e.g. {@code PageShot docs/images backups #nav-backups #backup-table}
 */
public final class PageShot {
    private PageShot() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 4) {
            System.err.println("usage: PageShot OUTPUT_DIR NAME NAV_ID SHOWN_ID");
            System.exit(2);
        }
        System.setProperty("testfx.robot", "glass");
        int status = 0;
        try {
            Stage stage = FxToolkit.registerPrimaryStage();
            FxToolkit.setupApplication(App.class);
            FxRobot robot = new FxRobot();
            WindowShots shots = new WindowShots(robot, stage, Path.of(args[0]));
            shots.await("the navigation", 30, () -> shots.shown(args[2]));
            robot.clickOn(args[2]);
            shots.await(args[3], 60, () -> shots.shown(args[3]));
            // the picture is of the page: its notices (no server runs here) are dismissed, as their x does
            robot.interact(() -> robot.lookup("#notice").queryAll().forEach(n -> ((javafx.scene.layout.Pane) n.getParent()).getChildren().remove(n)));
            shots.save(args[1]);
        } catch (Exception | AssertionError e) {
            System.err.println("error: " + e.getMessage());
            e.printStackTrace();
            status = 1;
        } finally {
            Platform.exit();
        }
        System.exit(status);
    }
}

package io.pitrconsole.ui.shell;

import io.pitrconsole.ui.ConsoleModel;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.control.TextInputControl;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** What the console tests over encrypted archives read off the window, as a user sees it, and how they wait for it. */
final class ConsoleProbe {
    private ConsoleProbe() {
    }

    /** Whether Settings' "Test archive" has answered (its result is neither empty nor still listing). */
    static boolean tested(FxRobot robot) {
        String r = result(robot);
        return !r.isEmpty() && !r.startsWith("listing");
    }

    /** What Settings' "Test archive" says. */
    static String result(FxRobot robot) {
        return robot.lookup("#profile-test-archive-result").queryAs(TextInputControl.class).getText();
    }

    static String text(FxRobot robot, String id) {
        return robot.lookup(id).queryAs(Label.class).getText();
    }

    /** Whether the node and every parent is visible. */
    static boolean visible(FxRobot robot, String id) {
        Node n = robot.lookup(id).query();
        for (; n != null; n = n.getParent()) {
            if (!n.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /** Waits for the condition (read on the FX thread); on timeout the failure carries the console's log. */
    static void await(ConsoleModel model, Callable<Boolean> condition) throws Exception {
        try {
            WaitForAsyncUtils.waitFor(30, TimeUnit.SECONDS, () -> WaitForAsyncUtils.asyncFx(condition).get());
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("timed out; console log:\n" + String.join("\n", List.copyOf(model.log())), e);
        }
    }
}

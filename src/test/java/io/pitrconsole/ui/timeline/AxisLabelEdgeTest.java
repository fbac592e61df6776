package io.pitrconsole.ui.timeline;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javafx.scene.Scene;
import javafx.scene.image.PixelReader;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Color;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/**
 * The time axis never draws a label the timeline's right edge cuts: at any pan, the axis band's
 * last columns hold only background (a label that does not fit whole is left off; its tick stays).
 */
@ExtendWith(ApplicationExtension.class)
class AxisLabelEdgeTest {
    private RecoveryTimeline timeline;

    @Start
    void start(Stage stage) {
        timeline = new RecoveryTimeline(ZoneOffset.UTC);
        timeline.dataProperty().set(Synthetic.loaded().data());
        stage.setScene(new Scene(new StackPane(timeline), 1000, 200));
        stage.show();
    }

    @Test
    void noAxisLabelRunsIntoTheRightEdgeWhereverTheViewIsPanned(FxRobot robot) throws Exception {
        List<Integer> cutAt = new ArrayList<>();
        // steps of 7 px over two tick spacings: some pan puts a label across the edge if any can
        for (int step = 0; step < 40; step++) {
            robot.interact(() -> timeline.pan(7));
            WaitForAsyncUtils.waitForFxEvents();
            WritableImage shot = WaitForAsyncUtils.asyncFx(() -> timeline.snapshot(null, null)).get();
            if (inkAtTheRightEdge(shot)) {
                cutAt.add(step);
            }
        }
        assertThat(cutAt).as("pan steps where an axis label ran into the right edge").isEmpty();
    }

    /** Any pixel of the label band in the last two columns that differs from the band's background above it. */
    private static boolean inkAtTheRightEdge(WritableImage shot) {
        PixelReader px = shot.getPixelReader();
        int w = (int) shot.getWidth();
        int bandBottom = (int) TimelineRenderer.AXIS - 8;
        for (int x = w - 2; x < w; x++) {
            Color background = px.getColor(x, 1);
            for (int y = 2; y < bandBottom; y++) {
                Color c = px.getColor(x, y);
                if (Math.abs(c.getRed() - background.getRed()) + Math.abs(c.getGreen() - background.getGreen())
                        + Math.abs(c.getBlue() - background.getBlue()) > 0.3) {
                    return true;
                }
            }
        }
        return false;
    }
}

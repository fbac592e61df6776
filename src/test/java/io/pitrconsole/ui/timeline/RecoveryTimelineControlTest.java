package io.pitrconsole.ui.timeline;

import static io.pitrconsole.ui.timeline.Synthetic.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.time.ZoneOffset;
import javafx.event.Event;
import javafx.geometry.Point2D;
import javafx.geometry.VerticalDirection;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.MouseButton;
import javafx.scene.input.ZoomEvent;
import javafx.scene.layout.StackPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

/** Zoom, pan, hover and snapping of the control itself, over a small synthetic archive. */
@ExtendWith(ApplicationExtension.class)
class RecoveryTimelineControlTest {
    private RecoveryTimeline timeline;

    @Start
    void start(Stage stage) {
        timeline = new RecoveryTimeline(ZoneOffset.UTC);
        timeline.dataProperty().set(Synthetic.loaded().data());
        stage.setScene(new Scene(new StackPane(timeline), 1000, 200));
        stage.show();
    }

    private TimeScale scale() {
        return timeline.scaleProperty().get();
    }

    private Point2D onLane(Instant t) {
        return timeline.localToScreen(scale().x(t), TimelineRenderer.laneTop(0) + TimelineRenderer.LANE / 2);
    }

    @Test
    void fitsTheWholeArchiveWhenDataArrives() {
        TimelineData d = timeline.dataProperty().get();
        assertThat(scale().x(d.from())).isBetween(0.0, 60.0);
        assertThat(scale().x(d.to())).isBetween(940.0, 1000.0);
    }

    @Test
    void aReloadKeepsTheViewButAnotherArchiveOutsideItIsFitted(FxRobot robot) {
        TimelineData d = timeline.dataProperty().get();
        robot.interact(() -> timeline.zoom(4, 500));
        TimeScale zoomed = scale();

        robot.interact(() -> timeline.dataProperty().set(Synthetic.loaded().data()));
        assertThat(scale()).isEqualTo(zoomed);

        long year = 365L * 86_400_000_000L;
        robot.interact(() -> timeline.dataProperty().set(new TimelineData(d.lanes(), d.from() + year, d.to() + year)));
        assertThat(scale().x(d.from() + year)).isBetween(0.0, 60.0);
    }

    @Test
    void wheelZoomsAroundThePointerAndKeysZoomAndFit(FxRobot robot) {
        TimeScale before = scale();
        Point2D p = onLane(at(5));
        double x = timeline.screenToLocal(p).getX();
        long under = before.timeAt(x);

        robot.moveTo(p).scroll(3, VerticalDirection.UP);
        WaitForAsyncUtils.waitForFxEvents();

        assertThat(scale().microsPerPixel()).isNotEqualTo(before.microsPerPixel());
        assertThat(Math.abs(scale().timeAt(x) - under)).isLessThanOrEqualTo((long) Math.ceil(scale().microsPerPixel()) + 1);

        robot.interact(timeline::fit);
        robot.clickOn(p).type(KeyCode.EQUALS);
        assertThat(scale().microsPerPixel()).isLessThan(before.microsPerPixel() * 0.9);
        robot.type(KeyCode.MINUS).type(KeyCode.MINUS);
        assertThat(scale().microsPerPixel()).isGreaterThan(before.microsPerPixel() * 1.1);
        robot.type(KeyCode.DIGIT0);
        assertThat(scale().microsPerPixel()).isEqualTo(before.microsPerPixel());
    }

    @Test
    void pinchZoomsByItsFactorAroundTheFingers(FxRobot robot) {
        TimeScale before = scale();
        double x = 400;
        long under = before.timeAt(x);

        robot.interact(() -> Event.fireEvent(timeline, new ZoomEvent(ZoomEvent.ZOOM, x, 80, 0, 0, false, false, false, false,
                true, false, 2.0, 2.0, null)));

        assertThat(scale().microsPerPixel()).isCloseTo(before.microsPerPixel() / 2, within(1.0));
        assertThat(Math.abs(scale().timeAt(x) - under)).isLessThanOrEqualTo((long) Math.ceil(scale().microsPerPixel()) + 1);
    }

    @Test
    void dragPansWithoutSelecting(FxRobot robot) {
        TimeScale before = scale();

        robot.drag(onLane(at(5)), MouseButton.PRIMARY).moveBy(120, 0).release(MouseButton.PRIMARY);
        WaitForAsyncUtils.waitForFxEvents();

        double movedPx = (before.start() - scale().start()) / before.microsPerPixel();
        assertThat(movedPx).isBetween(110.0, 130.0);
        assertThat(timeline.selectionProperty().get()).isNull();
    }

    @Test
    void aClickJustPastTheWindowSnapsToItsEndAndOneInTheGapDoesNot(FxRobot robot) {
        Point2D end = onLane(at(6));
        robot.clickOn(end.add(3, 0));
        TimelineSelection snapped = timeline.selectionProperty().get();
        assertThat(snapped.restorable()).isTrue();
        // a time target at the last transaction itself is never reached: the end snaps 1 us before it
        assertThat(snapped.time()).isEqualTo(at(6).minusNanos(1_000));

        robot.clickOn(onLane(at(7.5)));
        TimelineSelection gap = timeline.selectionProperty().get();
        assertThat(gap.restorable()).isFalse();
        assertThat(gap.timeline()).isEqualTo(1);
    }

    @Test
    void hoverTellsWhatIsUnderThePointer(FxRobot robot) {
        robot.moveTo(onLane(at(7.5)));
        WaitForAsyncUtils.waitForFxEvents();
        Label tip = robot.lookup("#timeline-tip").queryAs(Label.class);
        assertThat(tip.isVisible()).isTrue();
        assertThat(tip.getText()).startsWith("WAL gap on timeline 1");

        robot.moveTo(onLane(at(10.5)));
        WaitForAsyncUtils.waitForFxEvents();
        assertThat(tip.getText()).startsWith("2026-11-25 10:10:").contains("+00:00  timeline 1\nsegment 00000001000000000000000B")
                .endsWith("\nrestorable");
    }
}

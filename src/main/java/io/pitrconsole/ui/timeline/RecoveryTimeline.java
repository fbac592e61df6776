package io.pitrconsole.ui.timeline;

import java.time.ZoneId;
import java.util.Optional;
import java.util.OptionalLong;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.geometry.Insets;
import javafx.scene.Cursor;
import javafx.scene.canvas.Canvas;
import javafx.scene.control.Label;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.input.ZoomEvent;
import javafx.scene.layout.Region;

/**
 * The recovery timeline: a resizable Canvas with one lane per timeline. Wheel, pinch, +/- and the
 * zoom methods zoom around the pointer (or the centre); a drag pans; 0 or Home fits everything.
 * Hovering shows the exact time, LSN and what lies under the pointer, and a cursor that snaps to
 * the nearest restorable moment within a few pixels; a click (not a drag) sets {@link #selectionProperty()}.
 * It redraws when its size, data, scale or theme change, at most once per pulse.
 */
public final class RecoveryTimeline extends Region {
    /** How close, in pixels, a marker or restorable moment must be to the pointer to count as under it. */
    public static final double SNAP_PIXELS = 6;
    private static final double ZOOM_STEP = 1.5;
    private static final double DRAG_THRESHOLD = 3;

    private final Canvas canvas = new Canvas();
    private final Label tip = new Label();
    private final TimelineRenderer renderer;
    private final HoverText hover;
    private final ObjectProperty<TimelineData> data = new SimpleObjectProperty<>(this, "data", TimelineData.empty());
    private final ObjectProperty<TimeScale> scale = new SimpleObjectProperty<>(this, "scale");
    private final ReadOnlyObjectWrapper<TimelineSelection> selection = new ReadOnlyObjectWrapper<>(this, "selection");
    private final BooleanProperty dark = new SimpleBooleanProperty(this, "dark");
    private OptionalLong cursor = OptionalLong.empty();
    private boolean redrawPending;
    private double pressX;
    private TimeScale pressScale;
    private boolean dragged;

    public RecoveryTimeline(ZoneId zone) {
        this.renderer = new TimelineRenderer(new TickPolicy(zone, 90));
        this.hover = new HoverText(zone);
        setId("recovery-timeline");
        getStyleClass().add("recovery-timeline");
        setFocusTraversable(true);
        setMinHeight(TimelineRenderer.height(1));
        tip.setId("timeline-tip");
        tip.getStyleClass().add("tooltip");
        tip.setPadding(new Insets(4, 8, 4, 8));
        tip.setMouseTransparent(true);
        tip.setVisible(false);
        tip.setManaged(false);
        getChildren().addAll(canvas, tip);

        data.addListener((obs, old, now) -> {
            boolean firstData = old == null || old.lanes().isEmpty();
            // a reload keeps the view; data that would all lie outside it (another archive) is fitted
            boolean outOfView = scale.get() != null && (now.to() < scale.get().start() || now.from() > scale.get().end());
            if (firstData || outOfView || scale.get() == null) {
                fit();
            }
            selection.set(null);
            requestLayout();
            redraw();
        });
        scale.addListener((obs, old, now) -> redraw());
        dark.addListener((obs, old, now) -> redraw());

        addEventHandler(ScrollEvent.SCROLL, e -> {
            if (e.getDeltaY() != 0 && e.getTouchCount() == 0) {
                zoom(Math.pow(ZOOM_STEP, e.getDeltaY() / 40), e.getX());
            }
            e.consume();
        });
        addEventHandler(ZoomEvent.ZOOM, e -> {
            zoom(e.getZoomFactor(), e.getX());
            e.consume();
        });
        addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
            requestFocus();
            pressX = e.getX();
            pressScale = scale.get();
            dragged = false;
        });
        addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
            if (pressScale != null && (dragged || Math.abs(e.getX() - pressX) > DRAG_THRESHOLD)) {
                dragged = true;
                setCursor(Cursor.CLOSED_HAND);
                scale.set(pressScale.pan(e.getX() - pressX));
            }
        });
        addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
            setCursor(Cursor.DEFAULT);
            if (!dragged && e.isStillSincePress()) {
                select(e.getX(), e.getY());
            }
            pressScale = null;
        });
        addEventHandler(MouseEvent.MOUSE_MOVED, e -> hoverAt(e.getX(), e.getY()));
        addEventHandler(MouseEvent.MOUSE_EXITED, e -> {
            tip.setVisible(false);
            cursor = OptionalLong.empty();
            redraw();
        });
        addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            switch (e.getCode()) {
                case PLUS, EQUALS, ADD -> zoomIn();
                case MINUS, SUBTRACT -> zoomOut();
                case DIGIT0, NUMPAD0, HOME -> fit();
                case LEFT -> pan(getWidth() / 8);
                case RIGHT -> pan(-getWidth() / 8);
                default -> {
                    return;
                }
            }
            e.consume();
        });
    }

    /** What is drawn; setting it fits the view the first time there are lanes and clears the selection. */
    public ObjectProperty<TimelineData> dataProperty() {
        return data;
    }

    /** The visible range; the control keeps its width in step with its own. */
    public ObjectProperty<TimeScale> scaleProperty() {
        return scale;
    }

    /** The last moment clicked, snapped to a restorable one when one was near; null before any click. */
    public ReadOnlyObjectProperty<TimelineSelection> selectionProperty() {
        return selection.getReadOnlyProperty();
    }

    public BooleanProperty darkProperty() {
        return dark;
    }

    public void zoomIn() {
        zoom(ZOOM_STEP, width() / 2);
    }

    public void zoomOut() {
        zoom(1 / ZOOM_STEP, width() / 2);
    }

    /** Shows everything there is, with a small margin. */
    public void fit() {
        TimelineData d = data.get();
        scale.set(TimeScale.fit(d.from(), d.to(), width(), 0.04));
    }

    public void zoom(double factor, double aroundX) {
        scale.set(current().zoom(factor, aroundX));
    }

    public void pan(double dx) {
        scale.set(current().pan(dx));
    }

    /** Selects the moment under (x, y) as a click would. */
    public void select(double x, double y) {
        TimelineData d = data.get();
        int laneIndex = TimelineRenderer.laneAt(y, d.lanes().size());
        if (laneIndex < 0) {
            return;
        }
        TimelineData.Lane lane = d.lanes().get(laneIndex);
        TimeScale s = current();
        long t = s.timeAt(x);
        Optional<Long> snapped = lane.snap(t, (long) (SNAP_PIXELS * s.microsPerPixel()));
        selection.set(new TimelineSelection(TimeScale.instant(snapped.orElse(t)), lane.timeline(), snapped.isPresent()));
        redraw();
    }

    private void hoverAt(double x, double y) {
        TimelineData d = data.get();
        int laneIndex = TimelineRenderer.laneAt(y, d.lanes().size());
        if (laneIndex < 0 || y < TimelineRenderer.AXIS) {
            tip.setVisible(false);
            cursor = OptionalLong.empty();
            redraw();
            return;
        }
        TimelineData.Lane lane = d.lanes().get(laneIndex);
        TimeScale s = current();
        long t = s.timeAt(x);
        long tolerance = (long) (SNAP_PIXELS * s.microsPerPixel());
        Optional<Long> snapped = lane.snap(t, tolerance);
        Optional<Long> nearest = Optional.of(lane.restorable().nearest(t)).filter(n -> n != Long.MIN_VALUE);
        cursor = snapped.map(OptionalLong::of).orElse(OptionalLong.empty());
        tip.setText(hover.describe(lane, t, tolerance, nearest));
        tip.setVisible(true);
        placeTip(x, y);
        redraw();
    }

    private void placeTip(double x, double y) {
        tip.applyCss();
        double w = tip.prefWidth(-1);
        double h = tip.prefHeight(w);
        double tx = x + 14 + w > getWidth() ? x - 14 - w : x + 14;
        double ty = Math.min(Math.max(0, y + 16), Math.max(0, getHeight() - h));
        tip.resizeRelocate(Math.max(0, tx), ty, w, h);
    }

    private double width() {
        return getWidth() > 0 ? getWidth() : 800;
    }

    private TimeScale current() {
        if (scale.get() == null) {
            fit();
        }
        return scale.get();
    }

    @Override
    protected double computePrefHeight(double width) {
        return TimelineRenderer.height(data.get().lanes().size());
    }

    @Override
    protected double computePrefWidth(double height) {
        return 800;
    }

    @Override
    protected void layoutChildren() {
        double w = getWidth();
        double h = getHeight();
        if (canvas.getWidth() != w || canvas.getHeight() != h) {
            boolean firstSize = canvas.getWidth() <= 0;
            canvas.setWidth(w);
            canvas.setHeight(h);
            if (firstSize && w > 0) {
                fit(); // data that came before the control had a size was fitted to a guessed width
            } else if (scale.get() != null && scale.get().width() != w && w > 0) {
                scale.set(scale.get().withWidth(w));
            }
            paint();
        }
    }

    /** Asks for a frame; several changes within one pulse draw once. */
    private void redraw() {
        if (redrawPending) {
            return;
        }
        redrawPending = true;
        javafx.application.Platform.runLater(() -> {
            redrawPending = false;
            paint();
        });
    }

    /** Draws now; the benchmark and tests call it to time or inspect one frame. */
    public void paint() {
        if (canvas.getWidth() <= 0 || canvas.getHeight() <= 0) {
            return;
        }
        TimelineSelection sel = selection.get();
        renderer.render(canvas.getGraphicsContext2D(), data.get(), current(), canvas.getHeight(),
                dark.get() ? TimelinePalette.dark() : TimelinePalette.light(), cursor,
                sel == null ? OptionalLong.empty() : OptionalLong.of(TimeScale.micros(sel.time())));
    }
}

package io.pitrconsole.ui;

import io.pitrconsole.recovery.window.RecoveryWindow;
import java.time.Instant;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * A thin strip over the archive's whole restorable span: the merged recovery windows in green,
 * what lies between them in red, and optionally a chosen moment as a marker. The dashboard shows
 * "am I covered" with it; the restore wizard shows where a typed time falls.
 */
public final class RestorableStrip extends Region {
    private static final Color COVERED = Color.web("#2da44e");
    private static final Color HOLE = Color.web("#cf222e");
    private static final Color EMPTY = Color.web("#d0d7de");
    private static final Color MARKER = Color.web("#0969da");
    private static final double PAD = 4;

    private final Canvas canvas = new Canvas();
    private final ObjectProperty<List<RecoveryWindow>> windows = new SimpleObjectProperty<>(List.of());
    private final ObjectProperty<Instant> marker = new SimpleObjectProperty<>();

    public RestorableStrip(String id, double height) {
        setId(id);
        getChildren().add(canvas);
        setMinHeight(height);
        setPrefHeight(height);
        setPrefWidth(360);
        windows.addListener(o -> draw());
        marker.addListener(o -> draw());
    }

    /** The merged windows to draw; null draws as none. */
    public ObjectProperty<List<RecoveryWindow>> windowsProperty() {
        return windows;
    }

    public List<RecoveryWindow> windows() {
        return windows.get() == null ? List.of() : windows.get();
    }

    /** A moment to mark, or null. */
    public ObjectProperty<Instant> markerProperty() {
        return marker;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    private void draw() {
        GraphicsContext g = canvas.getGraphicsContext2D();
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        g.clearRect(0, 0, w, h);
        List<RecoveryWindow> ws = windows();
        if (w <= 2 * PAD) {
            return;
        }
        if (ws.isEmpty()) {
            g.setFill(EMPTY);
            g.fillRoundRect(PAD, h * 0.2, w - 2 * PAD, h * 0.6, 6, 6);
            return;
        }
        Instant first = ws.stream().map(RecoveryWindow::from).min(Instant::compareTo).orElseThrow();
        Instant last = ws.stream().map(RecoveryWindow::to).max(Instant::compareTo).orElseThrow();
        Instant m = marker.get();
        if (m != null) {
            first = m.isBefore(first) ? m : first;
            last = m.isAfter(last) ? m : last;
        }
        double span = Math.max(1, last.toEpochMilli() - first.toEpochMilli());
        Instant origin = first;
        ToDoubleFunction<Instant> x = t -> PAD + (t.toEpochMilli() - origin.toEpochMilli()) / span * (w - 2 * PAD);
        g.setFill(HOLE);
        g.fillRoundRect(PAD, h * 0.2, w - 2 * PAD, h * 0.6, 6, 6);
        g.setFill(COVERED);
        for (RecoveryWindow r : ws) {
            double x0 = x.applyAsDouble(r.from());
            // a window of a few seconds in a day-long strip still gets a visible sliver
            g.fillRect(x0, h * 0.2, Math.max(2, x.applyAsDouble(r.to()) - x0), h * 0.6);
        }
        if (m != null) {
            double mx = x.applyAsDouble(m);
            g.setStroke(MARKER);
            g.setLineWidth(2);
            g.strokeLine(mx, 0, mx, h);
        }
    }
}

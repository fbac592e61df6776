package io.pitrconsole.ui.restore;

import io.pitrconsole.recovery.RecoveryWindow;
import io.pitrconsole.recovery.RecoveryWindows;
import java.time.Instant;
import java.util.List;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * A thin strip over the archive's whole span: restorable ranges in green, what lies between them
 * in red, and the chosen moment as a marker, so a typed time shows at once where it falls.
 */
final class WindowStrip extends Region {
    private final Canvas canvas = new Canvas();
    private final ObjectProperty<RecoveryWindows> windows = new SimpleObjectProperty<>();
    private final ObjectProperty<Instant> marker = new SimpleObjectProperty<>();

    WindowStrip() {
        setId("target-window-strip");
        getChildren().add(canvas);
        setMinHeight(22);
        setPrefHeight(22);
        widthProperty().addListener(o -> draw());
        heightProperty().addListener(o -> draw());
        windows.addListener(o -> draw());
        marker.addListener(o -> draw());
    }

    ObjectProperty<RecoveryWindows> windowsProperty() {
        return windows;
    }

    ObjectProperty<Instant> markerProperty() {
        return marker;
    }

    @Override
    protected void layoutChildren() {
        canvas.setWidth(getWidth());
        canvas.setHeight(getHeight());
        draw();
    }

    private void draw() {
        double w = canvas.getWidth();
        double h = canvas.getHeight();
        GraphicsContext g = canvas.getGraphicsContext2D();
        g.clearRect(0, 0, w, h);
        RecoveryWindows ws = windows.get();
        if (ws == null || ws.merged().isEmpty() || w <= 0) {
            return;
        }
        List<RecoveryWindow> merged = ws.merged();
        Instant first = merged.stream().map(RecoveryWindow::from).min(Instant::compareTo).orElseThrow();
        Instant last = merged.stream().map(RecoveryWindow::to).max(Instant::compareTo).orElseThrow();
        Instant m = marker.get();
        if (m != null) {
            first = m.isBefore(first) ? m : first;
            last = m.isAfter(last) ? m : last;
        }
        double span = Math.max(1, last.toEpochMilli() - first.toEpochMilli());
        double pad = 6;
        Instant origin = first;
        java.util.function.ToDoubleFunction<Instant> x = t -> pad + (t.toEpochMilli() - origin.toEpochMilli()) / span * (w - 2 * pad);
        g.setFill(Color.web("#cf222e", 0.55));
        g.fillRect(pad, h * 0.3, w - 2 * pad, h * 0.4);
        g.setFill(Color.web("#1a7f37"));
        for (RecoveryWindow r : merged) {
            double x0 = x.applyAsDouble(r.from());
            double x1 = Math.max(x0 + 2, x.applyAsDouble(r.to()));
            g.fillRect(x0, h * 0.2, x1 - x0, h * 0.6);
        }
        if (m != null) {
            double mx = x.applyAsDouble(m);
            g.setStroke(Color.web("#0969da"));
            g.setLineWidth(2);
            g.strokeLine(mx, 0, mx, h);
        }
    }
}

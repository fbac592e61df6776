package io.pitrconsole.ui.dashboard;

import io.pitrconsole.recovery.RecoveryWindow;
import java.time.Instant;
import java.util.List;
import javafx.scene.canvas.Canvas;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.layout.Region;
import javafx.scene.paint.Color;

/**
 * The restorable ranges as one small bar: green where the archive can restore to, red in the
 * holes between ranges (gaps or timeline changes), from the first range's start to the last one's end.
 */
final class RangeStrip extends Region {
    private static final Color COVERED = Color.web("#2da44e");
    private static final Color HOLE = Color.web("#cf222e");
    private static final Color EMPTY = Color.web("#d0d7de");
    private final Canvas canvas = new Canvas();
    private List<RecoveryWindow> windows = List.of();

    RangeStrip() {
        setId("dash-range-strip");
        getChildren().add(canvas);
        setMinHeight(18);
        setPrefHeight(18);
        setPrefWidth(360);
    }

    void setWindows(List<RecoveryWindow> w) {
        windows = List.copyOf(w);
        draw();
    }

    List<RecoveryWindow> windows() {
        return windows;
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
        if (windows.isEmpty()) {
            g.setFill(EMPTY);
            g.fillRoundRect(0, 0, w, h, 6, 6);
            return;
        }
        Instant from = windows.stream().map(RecoveryWindow::from).min(Instant::compareTo).orElseThrow();
        Instant to = windows.stream().map(RecoveryWindow::to).max(Instant::compareTo).orElseThrow();
        double span = Math.max(1, to.toEpochMilli() - from.toEpochMilli());
        g.setFill(HOLE);
        g.fillRoundRect(0, 0, w, h, 6, 6);
        g.setFill(COVERED);
        for (RecoveryWindow r : windows) {
            double x0 = (r.from().toEpochMilli() - from.toEpochMilli()) / span * w;
            double x1 = (r.to().toEpochMilli() - from.toEpochMilli()) / span * w;
            // a window of a few seconds in a day-long strip still gets a visible sliver
            g.fillRect(x0, 0, Math.max(2, x1 - x0), h);
        }
    }
}

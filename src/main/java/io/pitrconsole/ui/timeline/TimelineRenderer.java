package io.pitrconsole.ui.timeline;

import java.util.List;
import java.util.OptionalLong;
import javafx.geometry.VPos;
import javafx.scene.canvas.GraphicsContext;
import javafx.scene.text.Font;
import javafx.scene.text.FontWeight;
import javafx.scene.text.TextAlignment;

/**
 * Draws the timeline into a GraphicsContext: the axis, then per lane the restorable ranges,
 * the archived-WAL coverage, gaps, backups, restore points and the fork from the parent lane.
 * Every series is entered by binary search at the left edge and left at the right edge, and
 * coverage is drawn from the copy joined at the current resolution, so a frame's cost follows
 * what is visible, not the archive's size.
 */
public final class TimelineRenderer {
    public static final double AXIS = 30;
    public static final double LANE = 60;
    static final double BACKUP_Y = 20;
    static final double RESTORABLE_Y = 28;
    static final double COVERAGE_Y = 39;
    static final double BAR = 9;
    /** Markers closer than this many pixels to the last one drawn add nothing visible and are skipped. */
    private static final double MIN_GAP = 3;
    /** Pixels per marker below which markers are drawn as ticks instead of diamonds and flags. */
    private static final double DIAMOND_ROOM = 12;
    private static final Font LABEL = Font.font("System", 11);
    private static final Font MAJOR = Font.font("System", FontWeight.BOLD, 11);

    private final TickPolicy ticks;

    public TimelineRenderer(TickPolicy ticks) {
        this.ticks = ticks;
    }

    /** Top of lane i. */
    public static double laneTop(int i) {
        return AXIS + i * LANE;
    }

    /** Height the control wants for that many lanes. */
    public static double height(int lanes) {
        return AXIS + Math.max(1, lanes) * LANE + 8;
    }

    /** The lane under y, clamped to the lanes there are; -1 when there are none. */
    public static int laneAt(double y, int lanes) {
        if (lanes == 0) {
            return -1;
        }
        return (int) Math.max(0, Math.min(lanes - 1, Math.floor((y - AXIS) / LANE)));
    }

    /** Draws one frame. cursor and selected are epoch microseconds, when there is one. */
    public void render(GraphicsContext g, TimelineData data, TimeScale s, double height, TimelinePalette p,
                       OptionalLong cursor, OptionalLong selected) {
        double w = s.width();
        g.setFill(p.background());
        g.fillRect(0, 0, w, height);
        List<TimelineData.Lane> lanes = data.lanes();
        for (int i = 0; i < lanes.size(); i++) {
            g.setFill(i % 2 == 0 ? p.laneBand() : p.background());
            g.fillRect(0, laneTop(i), w, LANE);
        }
        axis(g, s, height, p);
        for (int i = 0; i < lanes.size(); i++) {
            lane(g, lanes.get(i), laneTop(i), s, p);
        }
        for (int i = 0; i < lanes.size(); i++) {
            branch(g, data, lanes.get(i), i, s, p);
        }
        if (cursor.isPresent()) {
            double x = Math.round(s.x(cursor.getAsLong())) + 0.5;
            g.setStroke(p.cursor());
            g.setLineWidth(1);
            g.setLineDashes(4, 3);
            g.strokeLine(x, AXIS, x, height);
            g.setLineDashes();
        }
        if (selected.isPresent()) {
            double x = Math.round(s.x(selected.getAsLong())) + 0.5;
            g.setStroke(p.selection());
            g.setLineWidth(2);
            g.strokeLine(x, AXIS - 6, x, height);
            g.setFill(p.selection());
            g.fillPolygon(new double[] {x - 5, x + 5, x}, new double[] {AXIS - 10, AXIS - 10, AXIS - 2}, 3);
            g.setLineWidth(1);
        }
    }

    private void axis(GraphicsContext g, TimeScale s, double height, TimelinePalette p) {
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.setLineWidth(1);
        for (TickPolicy.Tick t : ticks.ticks(s)) {
            double x = Math.round(s.x(t.micros())) + 0.5;
            g.setStroke(t.major() ? p.majorGrid() : p.grid());
            g.strokeLine(x, AXIS - 6, x, height);
            g.setFont(t.major() ? MAJOR : LABEL);
            g.setFill(t.major() ? p.text() : p.mutedText());
            // a label the right edge would cut is left off: its tick line still marks the time
            if (x + 3 + textWidth(t.label(), t.major() ? MAJOR : LABEL) <= s.width()) {
                g.fillText(t.label(), x + 3, AXIS / 2 - 2);
            }
        }
        g.setStroke(p.majorGrid());
        g.strokeLine(0, AXIS - 0.5, s.width(), AXIS - 0.5);
    }

    private static double textWidth(String text, javafx.scene.text.Font font) {
        javafx.scene.text.Text probe = new javafx.scene.text.Text(text);
        probe.setFont(font);
        return probe.getLayoutBounds().getWidth();
    }

    private static void branch(GraphicsContext g, TimelineData data, TimelineData.Lane lane, int i, TimeScale s, TimelinePalette p) {
        if (lane.parent().isEmpty() || lane.branchTime().isEmpty()) {
            return;
        }
        int parentIndex = data.lanes().indexOf(data.lane(lane.parent().getAsInt()).orElse(null));
        if (parentIndex < 0) {
            return;
        }
        double x = s.x(lane.branchTime().get());
        if (x < -LANE || x > s.width() + LANE) {
            return;
        }
        double y0 = laneTop(parentIndex) + COVERAGE_Y + BAR / 2;
        double y1 = laneTop(i) + COVERAGE_Y + BAR / 2;
        g.setStroke(p.branch());
        g.setLineWidth(2);
        g.beginPath();
        g.moveTo(x, y0);
        g.bezierCurveTo(x + 20, y0, x, y1, x + 24, y1);
        g.stroke();
        g.setFill(p.branch());
        g.fillOval(x - 3.5, y0 - 3.5, 7, 7);
        g.setLineWidth(1);
    }

    private static void lane(GraphicsContext g, TimelineData.Lane lane, double top, TimeScale s, TimelinePalette p) {
        long start = s.start();
        long end = s.end();
        double w = s.width();
        double mpp = s.microsPerPixel();

        // restorable ranges: few per lane, but still entered by binary search
        g.setFill(p.restorable());
        spans(g, lane.restorable(), s, top + RESTORABLE_Y, BAR - 2);

        // archived WAL: joined at this resolution; segment edges once segments are wide enough to tell apart
        g.setFill(p.coverage());
        SpanSeries raw = lane.coverage();
        spans(g, raw.atResolution(mpp), s, top + COVERAGE_Y, BAR);
        int first = raw.firstEndingAtOrAfter(start);
        int last = raw.firstEndingAtOrAfter(end);
        // segment edges only once segments are wide enough that the edges do not turn into hatching
        if (first < raw.size() && last - first < w / 8 && (raw.to(first) - raw.from(first)) / mpp >= 8) {
            g.setStroke(p.segmentEdge());
            for (int i = first; i < raw.size() && raw.from(i) <= end; i++) {
                double x = Math.round(s.x(raw.from(i))) + 0.5;
                g.strokeLine(x, top + COVERAGE_Y, x, top + COVERAGE_Y + BAR);
            }
        }

        // gaps: at least a few pixels wide so a one-segment gap on a year-wide view still shows
        g.setFill(p.gap());
        for (TimelineData.GapMark gap : lane.gaps()) {
            if (gap.to() < start - 2 * mpp || gap.from() > end + 2 * mpp) {
                continue;
            }
            double x0 = s.x(gap.from());
            double x1 = Math.max(s.x(gap.to()), x0 + 3);
            g.fillRect(x0, top + RESTORABLE_Y - 4, x1 - x0, COVERAGE_Y + BAR - RESTORABLE_Y + 8);
        }

        backups(g, lane.backups(), top, s, p);
        restorePoints(g, lane.restorePoints(), top, s, p);

        g.setFill(p.mutedText());
        g.setFont(LABEL);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.TOP);
        g.fillText(lane.label(), 6, top + 3);
    }

    private static void spans(GraphicsContext g, SpanSeries series, TimeScale s, double y, double h) {
        long end = s.end();
        for (int i = series.firstEndingAtOrAfter(s.start()); i < series.size() && series.from(i) <= end; i++) {
            double x0 = Math.max(-1, s.x(series.from(i)));
            double x1 = Math.min(s.width() + 1, s.x(series.to(i)));
            g.fillRect(x0, y, Math.max(1, x1 - x0), h);
        }
    }

    private static void backups(GraphicsContext g, Marks<TimelineData.BackupMark> marks, double top, TimeScale s, TimelinePalette p) {
        long pad = (long) (8 * s.microsPerPixel());
        long end = s.end() + pad;
        int first = marks.firstAtOrAfter(s.start() - pad);
        int last = marks.firstAtOrAfter(end + 1);
        // more markers than room for diamonds: thin ticks, at most one per MIN_GAP pixels
        boolean dense = last - first > s.width() / DIAMOND_ROOM;
        double y = top + BACKUP_Y;
        double lastX = Double.NEGATIVE_INFINITY;
        Boolean lastRestorable = null;
        for (int i = first; i < last; i++) {
            TimelineData.BackupMark b = marks.get(i);
            double x = s.x(b.stop());
            if (x - lastX < MIN_GAP) {
                continue;
            }
            lastX = x;
            if (lastRestorable == null || lastRestorable != b.restorable()) {
                lastRestorable = b.restorable();
                g.setFill(b.restorable() ? p.backup() : p.unrestorableBackup());
                g.setStroke(b.restorable() ? p.backup() : p.unrestorableBackup());
            }
            if (dense) {
                g.fillRect(x - 0.75, y - 5, 1.5, 10);
                continue;
            }
            double xs = s.x(b.start());
            if (x - xs >= 2) {
                g.strokeLine(xs, y, x, y);
            }
            g.fillPolygon(new double[] {x, x + 5, x, x - 5}, new double[] {y - 5, y, y + 5, y}, 4);
        }
    }

    private static void restorePoints(GraphicsContext g, Marks<io.pitrconsole.wal.RestorePoint> marks, double top, TimeScale s,
                                      TimelinePalette p) {
        long pad = (long) (60 * s.microsPerPixel());
        int first = marks.firstAtOrAfter(s.start() - pad);
        int last = marks.firstAtOrAfter(s.end() + 1);
        boolean dense = last - first > s.width() / DIAMOND_ROOM;
        double poleTop = top + 3;
        double poleBottom = top + COVERAGE_Y + BAR + 4;
        double lastLabelEnd = Double.NEGATIVE_INFINITY;
        double lastX = Double.NEGATIVE_INFINITY;
        g.setFont(LABEL);
        g.setTextAlign(TextAlignment.LEFT);
        g.setTextBaseline(VPos.CENTER);
        g.setFill(p.restorePoint());
        for (int i = first; i < last; i++) {
            double x = Math.round(s.x(marks.key(i))) + 0.5;
            if (x - lastX < MIN_GAP) {
                continue;
            }
            lastX = x;
            g.fillRect(x - 0.5, poleTop, 1, poleBottom - poleTop);
            if (dense) {
                continue;
            }
            g.fillPolygon(new double[] {x, x + 8, x}, new double[] {poleTop, poleTop + 3, poleTop + 6}, 3);
            if (x > lastLabelEnd) {
                String name = marks.get(i).name();
                g.setFill(p.text());
                g.fillText(name, x + 10, poleTop + 4);
                g.setFill(p.restorePoint());
                lastLabelEnd = x + 10 + name.length() * 6.5;
            }
        }
    }
}

package io.pitrconsole.ui.timeline;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.wal.RestorePoint;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.TimelineHistory;
import io.pitrconsole.wal.WalArchiveIndex;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleUnaryOperator;
import javafx.application.Platform;
import javafx.scene.Group;
import javafx.scene.Scene;

/**
 * Frame times of the recovery timeline on a big synthetic archive: 2,000 backups, 100,000 WAL
 * segments over a year on two timelines, 50 gaps, 500 restore points. Frames pan and zoom the
 * real control; each is timed as the draw calls alone and as draw calls plus rasterising them
 * (a snapshot of the control, which also copies the pixels back; the software pipeline).
 * Not a test: bench/timeline/run.sh runs it with the test classpath under headless Monocle.
 * Arguments: [width] [height] (default 1600 400).
 */
public final class TimelineBench {
    private static final long SEG = WalSegmentName.DEFAULT_SEGMENT_SIZE;
    private static final int SEGMENTS = 100_000;
    private static final int BACKUPS = 2_000;
    private static final int GAPS = 50;
    private static final int POINTS = 500;
    private static final Instant T0 = Instant.parse("2025-11-01T00:00:00Z");

    private TimelineBench() {
    }

    public static void main(String[] args) throws Exception {
        double width = args.length > 0 ? Double.parseDouble(args[0]) : 1600;
        double height = args.length > 1 ? Double.parseDouble(args[1]) : 400;
        long b0 = System.nanoTime();
        Synthetic s = synthetic();
        long b1 = System.nanoTime();
        RecoveryWindows windows = RecoveryWindows.compute(s.backups(), s.index());
        long b2 = System.nanoTime();
        TimelineData data = TimelineData.of(windows, s.backups());
        long b3 = System.nanoTime();
        System.out.printf("model: %d segments, %d backups, %d gaps, %d restore points, %d windows; "
                        + "synthetic index %.0f ms, windows %.0f ms, timeline data %.0f ms%n",
                s.index().segments().size(), s.backups().size(), s.index().gaps().size(), s.index().restorePoints().size(),
                windows.windows().size(), (b1 - b0) / 1e6, (b2 - b1) / 1e6, (b3 - b2) / 1e6);

        CompletableFuture<Void> started = new CompletableFuture<>();
        Platform.startup(() -> started.complete(null));
        started.get(30, TimeUnit.SECONDS);
        CompletableFuture<String> report = new CompletableFuture<>();
        Platform.runLater(() -> {
            try {
                report.complete(run(data, width, height));
            } catch (Throwable t) {
                report.completeExceptionally(t);
            }
        });
        System.out.print(report.get(30, TimeUnit.MINUTES));
        Platform.exit();
    }

    private static String run(TimelineData data, double width, double height) {
        RecoveryTimeline timeline = new RecoveryTimeline(ZoneOffset.UTC);
        new Scene(new Group(timeline), width, height);
        timeline.resize(width, height);
        timeline.dataProperty().set(data);
        timeline.layout();
        timeline.fit();
        TimeScale fitted = timeline.scaleProperty().get();
        javafx.scene.canvas.Canvas canvas = (javafx.scene.canvas.Canvas) timeline.getChildrenUnmodifiable().get(0);
        if (canvas.getWidth() != width || canvas.getHeight() != height) {
            throw new IllegalStateException("the canvas was not laid out: " + canvas.getWidth() + "x" + canvas.getHeight());
        }
        long week = 7L * 86_400_000_000L;

        StringBuilder out = new StringBuilder();
        // untimed: JIT warm-up over the same kinds of frames
        frames(timeline, fitted, 200, i -> 1, 40, true);
        frames(timeline, fitted, 180, i -> 1.1, 0, true);
        out.append(String.format("| scenario | frames | draw calls median / p95 / max (ms) | draw + rasterise median / p95 / max (ms) |%n"));
        out.append(String.format("|---|---|---|---|%n"));
        out.append(row("pan, whole year visible", timeline, fitted, 300, i -> 1, 40));
        TimeScale weekView = TimeScale.fit(data.to() - week * 30, data.to() - week * 29, width, 0);
        out.append(row("pan, one week visible", timeline, weekView, 300, i -> 1, 40));
        TimeScale hourView = TimeScale.fit(data.to() - 3_600_000_000L * 100, data.to() - 3_600_000_000L * 99, width, 0);
        out.append(row("pan, one hour visible", timeline, hourView, 300, i -> 1, 40));
        out.append(row("zoom in, year to seconds (x1.1 per frame)", timeline, fitted, 180, i -> 1.1, 0));
        TimeScale deep = fitted;
        for (int i = 0; i < 180; i++) {
            deep = deep.zoom(1.1, width / 2);
        }
        out.append(row("zoom out, seconds to year (/1.1 per frame)", timeline, deep, 180, i -> 1 / 1.1, 0));
        return out.toString();
    }

    private static String row(String name, RecoveryTimeline timeline, TimeScale start, int n, DoubleUnaryOperator zoom, double panPx) {
        double[] draw = frames(timeline, start, n, zoom, panPx, false);
        double[] full = frames(timeline, start, n, zoom, panPx, true);
        return String.format("| %s | %d | %.2f / %.2f / %.2f | %.2f / %.2f / %.2f |%n", name, n,
                pct(draw, 50), pct(draw, 95), pct(draw, 100), pct(full, 50), pct(full, 95), pct(full, 100));
    }

    /** Milliseconds per frame: move the view, draw it (and rasterise it when asked). */
    private static double[] frames(RecoveryTimeline timeline, TimeScale start, int n, DoubleUnaryOperator zoom, double panPx,
                                   boolean rasterise) {
        double[] ms = new double[n];
        TimeScale s = start;
        javafx.scene.image.WritableImage image = new javafx.scene.image.WritableImage((int) start.width(), (int) timeline.getHeight());
        for (int i = 0; i < n; i++) {
            // back and forth over 800 px, so the view stays over the archive instead of drifting past its end
            s = s.zoom(zoom.applyAsDouble(i), s.width() / 2).pan((i / 20) % 2 == 0 ? -panPx : panPx);
            timeline.scaleProperty().set(s);
            long t0 = System.nanoTime();
            timeline.paint();
            if (rasterise) {
                timeline.snapshot(null, image);
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static double pct(double[] v, int p) {
        double[] s = v.clone();
        Arrays.sort(s);
        int i = (int) Math.ceil(p / 100.0 * s.length) - 1;
        return s[Math.max(0, Math.min(s.length - 1, i))];
    }

    private record Synthetic(WalArchiveIndex index, List<BackupRecord> backups) {
    }

    /**
     * A year of WAL: timeline 1 has segments 1..95,000 (one per ~5.5 min), timeline 2 forks at
     * segment 90,000 and has 5,000; 50 single missing segments spread over timeline 1 (none
     * in the range a backup needs to reach its stop); a backup every ~4.4 h; 500 restore points.
     */
    private static Synthetic synthetic() {
        Random rnd = new Random(42);
        long perSegMicros = 365L * 86_400_000_000L / 95_000;
        Set<Long> missing = new HashSet<>();
        while (missing.size() < GAPS) {
            missing.add(2 + (long) rnd.nextInt(94_000));
        }
        List<SegmentInfo> segs = new ArrayList<>(SEGMENTS);
        int points = 0;
        for (long n = 1; n <= 95_000; n++) {
            if (!missing.contains(n)) {
                segs.add(seg(1, n, perSegMicros, n % 190 == 0 && points++ < POINTS));
            }
        }
        for (long n = 90_000; segs.size() < SEGMENTS; n++) {
            segs.add(seg(2, n, perSegMicros, false));
        }
        String history = "1\t" + new Lsn(90_000 * SEG + 0x1000) + "\tbefore a bad deploy\n";
        TimelineHistory h = TimelineHistory.of(Map.of(2, history), Set.of(1, 2));
        List<BackupRecord> backups = new ArrayList<>(BACKUPS);
        for (int i = 0; i < BACKUPS; i++) {
            int tli = i >= BACKUPS - 50 ? 2 : 1;
            long n = tli == 2 ? 90_001 + (i - (BACKUPS - 50)) * 90L : 1 + i * 45L;
            while (missing.contains(n) || missing.contains(n + 1)) {
                n++;
            }
            Instant stop = time(n, perSegMicros).plusSeconds(30);
            backups.add(new BackupRecord(1, String.format("backup_%05d", i), "bench", BackupStatus.COMPLETE, stop.minusSeconds(60),
                    stop, "backup-history-file", new Lsn(n * SEG + 0x28), new Lsn(n * SEG + 0x4000), null, tli, "15", "1", SEG,
                    null, 1L << 30, 3L << 30, "localhost", 5432, List.of(), List.of(), 60.0, null, null, null));
        }
        return new Synthetic(WalArchiveIndex.of(SEG, segs, h), backups);
    }

    private static Instant time(long n, long perSegMicros) {
        return T0.plusNanos(n * perSegMicros * 1000);
    }

    private static SegmentInfo seg(int tli, long n, long perSegMicros, boolean point) {
        WalSegmentName name = new WalSegmentName(tli, n, SEG);
        Instant last = time(n, perSegMicros).plusSeconds(tli == 2 ? 7 : 0);
        Instant first = last.minusNanos(perSegMicros * 900);
        List<RestorePoint> rp = point ? List.of(new RestorePoint("rp_" + n, first.plusSeconds(5), new Lsn(n * SEG + 0x2000), tli))
                : List.of();
        return new SegmentInfo(name, Path.of(name.toString()), SEG, new Lsn(n * SEG + 0x28), new Lsn(n * SEG + SEG - 0x100),
                Optional.of(first), Optional.of(last), rp, true, Optional.empty());
    }
}

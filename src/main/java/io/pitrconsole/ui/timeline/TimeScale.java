package io.pitrconsole.ui.timeline;

import java.time.Instant;

/**
 * The visible stretch of time and how it maps to pixels: x = (t - start) / microsPerPixel.
 * Times are epoch microseconds, the WAL's own precision. Immutable; zoom, pan and fit return a
 * new scale, clamped between {@link #MIN_MICROS_PER_PIXEL} (a pixel per millisecond, enough to
 * tell commits apart) and {@link #MAX_SPAN_MICROS} across the width.
 */
public record TimeScale(long start, double microsPerPixel, double width) {
    public static final double MIN_MICROS_PER_PIXEL = 1_000;
    public static final long MAX_SPAN_MICROS = 200L * 365 * 86_400 * 1_000_000L;
    /** Fitting a single moment (or a very short range) shows this much around it. */
    public static final long MIN_FIT_MICROS = 10_000_000L;

    public TimeScale {
        width = Math.max(1, width);
        microsPerPixel = clampResolution(microsPerPixel, width);
    }

    /** A scale showing [from, to] across the width with a margin fraction of empty space on each side. */
    public static TimeScale fit(long from, long to, double width, double margin) {
        long span = Math.max(to - from, MIN_FIT_MICROS);
        double w = Math.max(1, width);
        double mpp = span / (w * (1 - 2 * margin));
        return new TimeScale(from - (long) (mpp * w * margin) - (to - from < span ? (span - (to - from)) / 2 : 0), mpp, w);
    }

    public static long micros(Instant t) {
        return Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000);
    }

    public static Instant instant(long micros) {
        return Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1_000L);
    }

    /** The last visible moment. */
    public long end() {
        return start + (long) (microsPerPixel * width);
    }

    public double x(long micros) {
        return (micros - start) / microsPerPixel;
    }

    public double x(Instant t) {
        return x(micros(t));
    }

    /** The moment under pixel x. */
    public long timeAt(double x) {
        return start + Math.round(x * microsPerPixel);
    }

    /** Zooms by factor (above 1 shows more detail), keeping the moment under pixel x where it is. */
    public TimeScale zoom(double factor, double aroundX) {
        long anchor = timeAt(aroundX);
        double mpp = clampResolution(microsPerPixel / factor, width);
        return new TimeScale(anchor - Math.round(aroundX * mpp), mpp, width);
    }

    /** Moves the view by dx pixels: a drag to the right (positive dx) shows earlier times. */
    public TimeScale pan(double dx) {
        return new TimeScale(start - Math.round(dx * microsPerPixel), microsPerPixel, width);
    }

    /** The same moment at the left edge and resolution, for a new width (the control was resized). */
    public TimeScale withWidth(double newWidth) {
        return new TimeScale(start, microsPerPixel, newWidth);
    }

    private static double clampResolution(double mpp, double width) {
        if (Double.isNaN(mpp) || mpp <= 0) {
            return MIN_MICROS_PER_PIXEL;
        }
        return Math.max(MIN_MICROS_PER_PIXEL, Math.min(mpp, MAX_SPAN_MICROS / Math.max(1, width)));
    }
}

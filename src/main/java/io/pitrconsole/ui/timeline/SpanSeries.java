package io.pitrconsole.ui.timeline;

import java.util.Arrays;

/**
 * Time spans of one lane (archived-WAL coverage, restorable ranges) as sorted, non-overlapping
 * epoch-microsecond pairs, so the visible ones are found by binary search. For a zoomed-out view
 * it keeps coarser copies, built on first use per power-of-two resolution, in which spans closer
 * than that resolution are joined: a frame never draws more bars than the width has pixels for.
 * Used from one thread at a time (the FX thread).
 */
public final class SpanSeries {
    private static final int LEVELS = 63;
    private static final SpanSeries EMPTY = new SpanSeries(new long[0], new long[0], 0);

    private final long[] from;
    private final long[] to;
    private final long joinedBelow;
    private SpanSeries[] levels;

    private SpanSeries(long[] from, long[] to, long joinedBelow) {
        this.from = from;
        this.to = to;
        this.joinedBelow = joinedBelow;
    }

    public static SpanSeries empty() {
        return EMPTY;
    }

    /** Spans in any order; overlapping or touching ones are joined. */
    public static SpanSeries of(long[] from, long[] to) {
        int n = from.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> Long.compare(from[a], from[b]));
        long[] f = new long[n];
        long[] t = new long[n];
        int m = 0;
        for (int k = 0; k < n; k++) {
            int i = order[k];
            long a = Math.min(from[i], to[i]);
            long b = Math.max(from[i], to[i]);
            if (m > 0 && a < t[m - 1]) {
                t[m - 1] = Math.max(t[m - 1], b);
            } else {
                f[m] = a;
                t[m] = b;
                m++;
            }
        }
        return new SpanSeries(Arrays.copyOf(f, m), Arrays.copyOf(t, m), 0);
    }

    public int size() {
        return from.length;
    }

    public long from(int i) {
        return from[i];
    }

    public long to(int i) {
        return to[i];
    }

    /** Spans closer together than this many microseconds were joined in this copy (0: none). */
    public long joinedBelow() {
        return joinedBelow;
    }

    /** Index of the first span that ends at or after t (size() when none). */
    public int firstEndingAtOrAfter(long t) {
        int lo = 0;
        int hi = to.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (to[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** True when some span holds t, edges included. */
    public boolean covers(long t) {
        int i = firstEndingAtOrAfter(t);
        return i < from.length && from[i] <= t;
    }

    /** The moment of a span nearest to t: t itself when covered, else the closest edge; Long.MIN_VALUE when empty. */
    public long nearest(long t) {
        int i = firstEndingAtOrAfter(t);
        if (i < from.length && from[i] <= t) {
            return t;
        }
        long best = Long.MIN_VALUE;
        if (i < from.length) {
            best = from[i];
        }
        if (i > 0 && (best == Long.MIN_VALUE || t - to[i - 1] <= best - t)) {
            best = to[i - 1];
        }
        return best;
    }

    /**
     * A copy for drawing at microsPerPixel: spans less than the largest power of two at or below
     * the resolution apart are joined. Cached per level.
     */
    public SpanSeries atResolution(double microsPerPixel) {
        if (from.length < 2 || microsPerPixel < 2) {
            return this;
        }
        int level = Math.min(LEVELS - 1, 63 - Long.numberOfLeadingZeros((long) microsPerPixel));
        if (levels == null) {
            levels = new SpanSeries[LEVELS];
        }
        if (levels[level] == null) {
            levels[level] = joined(1L << level);
        }
        return levels[level];
    }

    private SpanSeries joined(long below) {
        long[] f = new long[from.length];
        long[] t = new long[from.length];
        int m = 0;
        for (int i = 0; i < from.length; i++) {
            if (m > 0 && from[i] - t[m - 1] < below) {
                t[m - 1] = Math.max(t[m - 1], to[i]);
            } else {
                f[m] = from[i];
                t[m] = to[i];
                m++;
            }
        }
        return new SpanSeries(Arrays.copyOf(f, m), Arrays.copyOf(t, m), below);
    }
}

package io.pitrconsole.ui.timeline;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToLongFunction;

/** Items placed at one moment each (backups, restore points), sorted by it for binary search. */
public final class Marks<T> {
    private final List<T> items;
    private final long[] keys;

    private Marks(List<T> items, long[] keys) {
        this.items = items;
        this.keys = keys;
    }

    /** The items sorted by their moment in epoch microseconds. */
    public static <T> Marks<T> of(List<T> items, ToLongFunction<T> micros) {
        List<T> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparingLong(micros));
        long[] keys = new long[sorted.size()];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = micros.applyAsLong(sorted.get(i));
        }
        return new Marks<>(List.copyOf(sorted), keys);
    }

    public int size() {
        return keys.length;
    }

    public T get(int i) {
        return items.get(i);
    }

    public long key(int i) {
        return keys[i];
    }

    public List<T> all() {
        return items;
    }

    /** Index of the first item at or after t (size() when none). */
    public int firstAtOrAfter(long t) {
        int lo = 0;
        int hi = keys.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (keys[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** Index of the item nearest to t within tolerance microseconds, or -1. */
    public int nearest(long t, long tolerance) {
        int i = firstAtOrAfter(t);
        int best = -1;
        long bestDistance = Long.MAX_VALUE;
        for (int j = Math.max(0, i - 1); j <= Math.min(keys.length - 1, i); j++) {
            long d = Math.abs(keys[j] - t);
            if (d <= tolerance && d < bestDistance) {
                best = j;
                bestDistance = d;
            }
        }
        return best;
    }
}

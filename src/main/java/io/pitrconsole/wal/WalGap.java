package io.pitrconsole.wal;

import io.pitrconsole.core.WalSegmentName;
import java.util.List;

/**
 * Segments missing from the archive between two present ones of the same timeline. Recovery
 * cannot replay past {@code after}.
 */
public record WalGap(int timeline, WalSegmentName after, List<WalSegmentName> missing) {
    public WalGap {
        missing = List.copyOf(missing);
    }

    /** How many segments are missing (the list names only the first and last ones of a very long gap). */
    public long missingCount() {
        return resumesAt().segmentNumber() - after.segmentNumber() - 1;
    }

    /** The first segment present again after the gap. */
    public WalSegmentName resumesAt() {
        return missing.get(missing.size() - 1).next();
    }
}

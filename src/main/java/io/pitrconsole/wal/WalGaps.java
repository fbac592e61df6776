package io.pitrconsole.wal;

import io.pitrconsole.core.WalSegmentName;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/**
 * Finds runs of missing segments between present ones on each timeline: within one timeline the
 * server archives every segment from the timeline's first to its last, so a hole between them is
 * lost WAL. From names alone (what the WAL index holds, or a bare listing); damage inside a file
 * is the index's to find.
 */
public final class WalGaps {
    /** Past this many missing segments a gap lists only its first and last ones, to keep output sane. */
    static final int MAX_LISTED = 4096;

    private WalGaps() {
    }

    /** @param sorted segments sorted by timeline then number; .partial files do not count as present */
    static List<WalGap> find(List<SegmentInfo> sorted) {
        return between(sorted.stream().filter(s -> !WalArchiveIndex.isPartial(s)).map(SegmentInfo::name).toList());
    }

    /** The gaps between the full segments present (in any order; .partial segments are not to be given). */
    public static List<WalGap> between(Collection<WalSegmentName> present) {
        List<WalGap> gaps = new ArrayList<>();
        WalSegmentName prev = null;
        for (WalSegmentName n : new TreeSet<>(present)) {
            if (prev != null && prev.timeline() == n.timeline() && n.segmentNumber() - prev.segmentNumber() > 1) {
                gaps.add(new WalGap(n.timeline(), prev, missingBetween(prev, n)));
            }
            prev = n;
        }
        return List.copyOf(gaps);
    }

    private static List<WalSegmentName> missingBetween(WalSegmentName after, WalSegmentName present) {
        List<WalSegmentName> missing = new ArrayList<>();
        long count = present.segmentNumber() - after.segmentNumber() - 1;
        for (WalSegmentName m = after.next(); !m.equals(present); m = m.next()) {
            if (missing.size() == MAX_LISTED - 1 && count > MAX_LISTED) {
                missing.add(new WalSegmentName(present.timeline(), present.segmentNumber() - 1, present.segmentSize()));
                break;
            }
            missing.add(m);
        }
        return missing;
    }
}

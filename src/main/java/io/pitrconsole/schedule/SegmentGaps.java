package io.pitrconsole.schedule;

import io.pitrconsole.archiving.ArchivedWalFile;
import io.pitrconsole.core.WalSegmentName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Missing segments found from file names alone: within one timeline the server archives every
 * segment from the timeline's first to its last, so a hole between them is lost WAL. Cheap enough
 * for every health request; it cannot see damage inside a file.
 */
final class SegmentGaps {
    private SegmentGaps() {
    }

    /** The missing segment names, per timeline in order. */
    static List<WalSegmentName> missing(List<ArchivedWalFile> files) {
        Map<Integer, TreeSet<WalSegmentName>> byTimeline = new TreeMap<>();
        for (ArchivedWalFile f : files) {
            if (f.isSegment()) {
                WalSegmentName s = f.segment().orElseThrow();
                byTimeline.computeIfAbsent(s.timeline(), t -> new TreeSet<>()).add(s);
            }
        }
        List<WalSegmentName> missing = new ArrayList<>();
        for (TreeSet<WalSegmentName> segs : byTimeline.values()) {
            WalSegmentName expected = segs.first();
            for (WalSegmentName s : segs) {
                while (expected.compareTo(s) < 0) {
                    missing.add(expected);
                    expected = expected.next();
                }
                expected = s.next();
            }
        }
        return missing;
    }
}

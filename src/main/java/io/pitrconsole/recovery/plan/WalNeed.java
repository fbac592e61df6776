package io.pitrconsole.recovery.plan;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalArchiveIndex;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The archived WAL a restore from one backup to a moment replays: the segments from the one
 * holding the backup's start location, along the timeline path to the target's timeline, through
 * the first segment with a transaction after the target (recovery stops only when it sees one;
 * without it, to the end of the unbroken chain).
 */
public record WalNeed(int segments, long bytes, Optional<WalSegmentName> first, Optional<WalSegmentName> last) {

    /** Counts the segments and bytes restoring that backup to target on that timeline reads. */
    public static WalNeed of(WalArchiveIndex index, BackupRecord backup, int timeline, Instant target) {
        long size = index.segmentSize();
        List<Step> path = path(index, backup.timeline() == null ? 1 : backup.timeline(), timeline);
        if (path.isEmpty() || backup.startLsn() == null) {
            return new WalNeed(0, 0, Optional.empty(), Optional.empty());
        }
        int count = 0;
        long bytes = 0;
        WalSegmentName first = null;
        WalSegmentName last = null;
        for (long n = backup.startLsn().segmentNumber(size); ; n++) {
            Optional<SegmentInfo> seg = index.segment(new WalSegmentName(timelineAt(path, n), n, size))
                    .filter(s -> !WalArchiveIndex.isPartial(s));
            if (seg.isEmpty()) {
                break;
            }
            SegmentInfo s = seg.get();
            count++;
            bytes += s.fileSize();
            first = first == null ? s.name() : first;
            last = s.name();
            if (s.lastXactTime().filter(t -> t.isAfter(target)).isPresent() || s.damage().isPresent() || !s.complete()) {
                break;
            }
        }
        return new WalNeed(count, bytes, Optional.ofNullable(first), Optional.ofNullable(last));
    }

    /** A timeline on the path and the segment number it takes over at. */
    private record Step(int timeline, long fromSegment) {
    }

    /** Timelines from the backup's to the target's, each with the segment number it takes over at. */
    private static List<Step> path(WalArchiveIndex index, int from, int to) {
        List<Step> reversed = new ArrayList<>();
        int t = to;
        while (t != from) {
            var parent = index.timelines().parentOf(t);
            var branch = index.timelines().branchLsn(t);
            if (parent.isEmpty() || branch.isEmpty()) {
                return List.of();
            }
            reversed.add(new Step(t, branch.get().segmentNumber(index.segmentSize())));
            t = parent.getAsInt();
        }
        reversed.add(new Step(from, 0));
        List<Step> path = new ArrayList<>();
        for (int i = reversed.size() - 1; i >= 0; i--) {
            path.add(reversed.get(i));
        }
        return path;
    }

    /** The segment holding a branch location is read from the child timeline, as recovery does. */
    private static int timelineAt(List<Step> path, long segment) {
        int tli = path.get(0).timeline();
        for (Step step : path) {
            if (segment >= step.fromSegment()) {
                tli = step.timeline();
            }
        }
        return tli;
    }
}

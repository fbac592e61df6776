package io.pitrconsole.recovery.window;

import io.pitrconsole.archive.AbandonedTimeline;
import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalArchiveIndex;
import io.pitrconsole.wal.WalGap;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The state of the WAL archive at a glance: segments per timeline, the newest segment and
 * transaction, gaps, damaged segments, size, and the RPO (how much committed work a restore
 * from this archive would lose right now).
 *
 * @param newestTransaction the latest commit/abort time found in any archived segment
 * @param rpo               age of newestTransaction at checkedAt
 */
public record WalStatus(Instant checkedAt, List<TimelineSegments> timelines, Optional<WalSegmentName> newestSegment,
                        Optional<Instant> newestSegmentTime, Optional<Instant> newestTransaction, Optional<Duration> rpo,
                        List<WalGap> gaps, List<SegmentInfo> damaged, int segmentCount, long archiveBytes, List<String> problems) {

    /**
     * Segments archived for one timeline, and where it branched from its parent.
     *
     * @param abandoned set when a rollback threw this timeline away
     */
    public record TimelineSegments(int timeline, int segments, Optional<WalSegmentName> first, Optional<WalSegmentName> last,
                                   OptionalInt parent, Optional<Lsn> branchLsn, Optional<AbandonedTimeline> abandoned) {
    }

    /** Summarises an index as of the given moment (no timeline abandoned). */
    public static WalStatus of(WalArchiveIndex index, Instant now) {
        return of(index, AbandonedTimelines.none(), now);
    }

    /** Summarises an index as of the given moment, marking the abandoned timelines. */
    public static WalStatus of(WalArchiveIndex index, AbandonedTimelines abandoned, Instant now) {
        Map<Integer, List<SegmentInfo>> byTimeline = new TreeMap<>();
        index.timelines().timelines().forEach(t -> byTimeline.put(t, new ArrayList<>()));
        index.segments().forEach(s -> byTimeline.computeIfAbsent(s.name().timeline(), k -> new ArrayList<>()).add(s));
        List<TimelineSegments> timelines = byTimeline.entrySet().stream().map(e -> new TimelineSegments(e.getKey(),
                e.getValue().size(),
                e.getValue().stream().map(SegmentInfo::name).findFirst(),
                e.getValue().stream().map(SegmentInfo::name).reduce((a, b) -> b),
                index.timelines().parentOf(e.getKey()), index.timelines().branchLsn(e.getKey()), abandoned.get(e.getKey()))).toList();
        Optional<SegmentInfo> newest = index.segments().stream().filter(s -> !WalArchiveIndex.isPartial(s))
                .max(Comparator.comparing(SegmentInfo::name));
        Optional<Instant> newestXact = index.segments().stream().flatMap(s -> s.lastXactTime().stream()).max(Comparator.naturalOrder());
        return new WalStatus(now, timelines, newest.map(SegmentInfo::name), newest.flatMap(SegmentInfo::lastXactTime), newestXact,
                newestXact.map(t -> Duration.between(t, now)), index.gaps(), index.damaged(), index.segments().size(),
                index.totalBytes(), index.problems());
    }

    /**
     * The same status with a problem line for segments of another database system than the
     * archive's (its backups'): no backup here can replay them.
     */
    public WalStatus withForeignSegments(Optional<String> archiveSystem, List<SegmentInfo> segments) {
        if (archiveSystem.isEmpty()) {
            return this;
        }
        List<SegmentInfo> foreign = segments.stream().filter(x -> x.fromAnotherSystemThan(archiveSystem.get())).toList();
        if (foreign.isEmpty()) {
            return this;
        }
        List<String> all = new ArrayList<>(problems);
        all.add(foreign.size() + " archived WAL segment(s) are from database system " + Long.toUnsignedString(foreign.get(0).systemIdentifier())
                + ", not the archive's " + archiveSystem.get() + " (first " + foreign.get(0).name() + "); no backup of this archive can replay them:"
                + " move them to the archive of that cluster");
        return new WalStatus(checkedAt, timelines, newestSegment, newestSegmentTime, newestTransaction, rpo, gaps, damaged, segmentCount,
                archiveBytes, all);
    }
}

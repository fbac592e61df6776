package io.pitrconsole.ui.timeline;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.wal.RestorePoint;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalArchiveIndex;
import io.pitrconsole.wal.WalGap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Everything the recovery timeline draws, independent of JavaFX: one lane per timeline with its
 * archived-WAL coverage, restorable ranges, backups, gaps and restore points, and where each
 * timeline forked from its parent. Built from the recovery windows and the backup catalog;
 * times are epoch microseconds.
 *
 * @param from the earliest moment anything is drawn at
 * @param to   the latest
 */
public record TimelineData(List<Lane> lanes, long from, long to) {

    /** A backup as the timeline marks it: its span from start to stop, and whether any window starts from it. */
    public record BackupMark(String id, int timeline, long start, long stop, Lsn startLsn, Lsn stopLsn, String status,
                             boolean restorable) {
    }

    /** Missing segments, drawn from the last transaction before them to the first after. */
    public record GapMark(int timeline, long from, long to, WalGap gap) {
    }

    /** A segment for hover look-ups, placed at the last transaction time it covers. */
    public record SegmentMark(WalSegmentName name, long from, long to, Lsn startLsn, Lsn endLsn) {
    }

    /**
     * One timeline.
     *
     * @param branchTime about when it forked from its parent: the first transaction in its first
     *                   segment, else the parent's last before the branch location
     * @param abandoned  a rollback threw this timeline away: restores follow it only when asked by number
     */
    public record Lane(int timeline, OptionalInt parent, Optional<Lsn> branchLsn, Optional<Long> branchTime,
                       SpanSeries coverage, SpanSeries restorable, Marks<BackupMark> backups, List<GapMark> gaps,
                       Marks<RestorePoint> restorePoints, Marks<SegmentMark> segments, boolean abandoned) {
        /** What the lane is called on the canvas. */
        public String label() {
            return "timeline " + timeline + (abandoned ? " (abandoned)" : "");
        }

        /** The moment of this lane's restorable ranges nearest to t, if one lies within tolerance microseconds. */
        public Optional<Long> snap(long t, long tolerance) {
            long n = restorable.nearest(t);
            return n == Long.MIN_VALUE || Math.abs(n - t) > tolerance ? Optional.empty() : Optional.of(n);
        }

        /** The gap drawn over t, if any. */
        public Optional<GapMark> gapAt(long t, long tolerance) {
            return gaps.stream().filter(g -> g.from() - tolerance <= t && t <= g.to() + tolerance).findFirst();
        }

        /** The segment whose transactions span t (or the nearest later one within tolerance). */
        public Optional<SegmentMark> segmentAt(long t, long tolerance) {
            int i = segments.firstAtOrAfter(t);
            if (i < segments.size() && segments.get(i).from() - tolerance <= t) {
                return Optional.of(segments.get(i));
            }
            return Optional.empty();
        }
    }

    /** Nothing to draw. */
    public static TimelineData empty() {
        long now = TimeScale.micros(Instant.now());
        return new TimelineData(List.of(), now - 3_600_000_000L, now);
    }

    public Optional<Lane> lane(int timeline) {
        return lanes.stream().filter(l -> l.timeline() == timeline).findFirst();
    }

    /** Lays out the windows' WAL index, the windows and the backups (in any order) by timeline. */
    public static TimelineData of(RecoveryWindows windows, List<BackupRecord> backups) {
        WalArchiveIndex index = windows.index();
        Set<Integer> timelines = new TreeSet<>(index.timelines().timelines());
        backups.forEach(b -> timelines.add(b.timeline() == null ? 1 : b.timeline()));
        windows.windows().forEach(w -> timelines.add(w.timeline()));

        Map<Integer, List<SegmentMark>> segs = segmentMarks(index);
        Map<WalSegmentName, SegmentMark> byName = new HashMap<>();
        segs.values().forEach(l -> l.forEach(s -> byName.put(s.name(), s)));
        Set<String> restorable = new TreeSet<>();
        windows.windows().forEach(w -> restorable.add(w.backupId()));

        long[] range = {Long.MAX_VALUE, Long.MIN_VALUE};
        List<Lane> lanes = new ArrayList<>();
        for (int tli : timelines) {
            List<SegmentMark> laneSegs = segs.getOrDefault(tli, List.of());
            long[] f = new long[laneSegs.size()];
            long[] t = new long[laneSegs.size()];
            for (int i = 0; i < f.length; i++) {
                f[i] = laneSegs.get(i).from();
                t[i] = laneSegs.get(i).to();
                widen(range, f[i], t[i]);
            }
            List<RecoveryWindow> merged = windows.merged().stream().filter(w -> w.timeline() == tli).toList();
            long[] wf = merged.stream().mapToLong(w -> TimeScale.micros(w.from())).toArray();
            // the restorable span ends at the last moment a time target reaches (drawn at least a point wide)
            long[] wt = merged.stream().mapToLong(w -> Math.max(TimeScale.micros(w.from()), TimeScale.micros(w.lastReachable()))).toArray();
            List<BackupMark> marks = backups.stream().filter(b -> (b.timeline() == null ? 1 : b.timeline()) == tli)
                    .filter(b -> b.startTime() != null)
                    .map(b -> new BackupMark(b.id(), tli, TimeScale.micros(b.startTime()),
                            TimeScale.micros(b.stopTime() != null ? b.stopTime() : b.startTime()), b.startLsn(), b.stopLsn(),
                            b.status() == null ? "unknown" : b.status().label(), restorable.contains(b.id())))
                    .toList();
            marks.forEach(m -> widen(range, m.start(), m.stop()));
            List<GapMark> gaps = index.gaps().stream().filter(g -> g.timeline() == tli).map(g -> gapMark(g, byName)).toList();
            List<RestorePoint> points = index.restorePoints().stream().filter(p -> p.timeline() == tli).toList();
            points.forEach(p -> widen(range, TimeScale.micros(p.time()), TimeScale.micros(p.time())));
            lanes.add(new Lane(tli, index.timelines().parentOf(tli), index.timelines().branchLsn(tli),
                    branchTime(tli, index, segs), SpanSeries.of(f, t), SpanSeries.of(wf, wt),
                    Marks.of(marks, BackupMark::stop), gaps, Marks.of(points, p -> TimeScale.micros(p.time())),
                    Marks.of(laneSegs, SegmentMark::to), windows.isAbandoned(tli)));
        }
        if (range[0] > range[1]) {
            TimelineData e = empty();
            return new TimelineData(List.copyOf(lanes), e.from(), e.to());
        }
        return new TimelineData(List.copyOf(lanes), range[0], range[1]);
    }

    private static void widen(long[] range, long a, long b) {
        range[0] = Math.min(range[0], a);
        range[1] = Math.max(range[1], b);
    }

    /**
     * Each segment with a known time, per timeline: from the end of the previous segment when
     * that one is present (the WAL is continuous across the boundary), else from its own first
     * transaction, to its last transaction. A segment without transactions continues the previous.
     */
    private static Map<Integer, List<SegmentMark>> segmentMarks(WalArchiveIndex index) {
        Map<Integer, List<SegmentMark>> out = new TreeMap<>();
        SegmentInfo prev = null;
        Long prevEnd = null;
        for (SegmentInfo s : index.segments()) {
            boolean continues = prev != null && prev.name().timeline() == s.name().timeline()
                    && prev.name().segmentNumber() + 1 == s.name().segmentNumber();
            if (!continues) {
                prevEnd = null;
            }
            Optional<Instant> first = s.firstXactTime().or(s::lastXactTime);
            Optional<Instant> last = s.lastXactTime().or(s::firstXactTime);
            Long start = prevEnd != null ? prevEnd : first.map(TimeScale::micros).orElse(null);
            Long end = last.map(TimeScale::micros).orElse(prevEnd);
            if (start != null && end != null) {
                out.computeIfAbsent(s.name().timeline(), k -> new ArrayList<>())
                        .add(new SegmentMark(s.name(), Math.min(start, end), Math.max(start, end), s.startLsn(), s.endLsn()));
                prevEnd = Math.max(start, end);
            }
            prev = s;
        }
        return out;
    }

    private static GapMark gapMark(WalGap g, Map<WalSegmentName, SegmentMark> byName) {
        Optional<SegmentMark> before = Optional.ofNullable(byName.get(g.after()));
        Optional<SegmentMark> after = Optional.ofNullable(byName.get(g.resumesAt()));
        long from = before.map(SegmentMark::to).or(() -> after.map(SegmentMark::from)).orElse(0L);
        long to = after.map(SegmentMark::from).orElse(from);
        return new GapMark(g.timeline(), from, Math.max(from, to), g);
    }

    private static Optional<Long> branchTime(int tli, WalArchiveIndex index, Map<Integer, List<SegmentMark>> segs) {
        Optional<Lsn> branch = index.timelines().branchLsn(tli);
        OptionalInt parent = index.timelines().parentOf(tli);
        if (branch.isEmpty() || parent.isEmpty()) {
            return Optional.empty();
        }
        long branchSeg = branch.get().segmentNumber(index.segmentSize());
        Optional<Long> own = index.segments().stream()
                .filter(s -> s.name().timeline() == tli && s.name().segmentNumber() == branchSeg)
                .findFirst().flatMap(SegmentInfo::firstXactTime).map(TimeScale::micros);
        if (own.isPresent()) {
            return own;
        }
        return segs.getOrDefault(parent.getAsInt(), List.of()).stream()
                .filter(s -> s.name().segmentNumber() <= branchSeg).map(SegmentMark::to).reduce((a, b) -> b)
                .or(() -> segs.getOrDefault(tli, List.of()).stream().map(SegmentMark::from).findFirst());
    }
}

package io.pitrconsole.recovery.window;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.wal.SegmentInfo;
import io.pitrconsole.wal.WalArchiveIndex;
import io.pitrconsole.wal.WalGap;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Follows one backup's WAL from the segment holding its start location, segment by segment, as
 * recovery would: a missing or .partial segment ends the chain, a damaged one ends it after its
 * valid records, a segment of another database system ends it as a missing one would, and at a child timeline's branch location the chain also continues on that
 * timeline (recovery with recovery_target_timeline set to it).
 */
final class WalChain {
    /** Where a chain ended on one timeline. */
    record End(int timeline, boolean reachedStop, Optional<Instant> lastXact, Lsn endLsn, Optional<WalGap> gap) {
    }

    private record State(boolean reachedStop, Optional<Instant> lastXact, Lsn endLsn) {
    }

    private final WalArchiveIndex index;
    private final long segmentSize;
    private final Lsn stopLsn;
    private final String systemIdentifier;
    private final List<End> ends = new ArrayList<>();

    private WalChain(WalArchiveIndex index, Lsn stopLsn, String systemIdentifier) {
        this.index = index;
        this.segmentSize = index.segmentSize();
        this.stopLsn = stopLsn;
        this.systemIdentifier = systemIdentifier;
    }

    /** One end per timeline the backup can reach, its own timeline first. */
    static List<End> follow(BackupRecord backup, WalArchiveIndex index) {
        WalChain chain = new WalChain(index, backup.stopLsn(), backup.systemIdentifier());
        int tli = backup.timeline() == null ? 1 : backup.timeline();
        long first = backup.startLsn().segmentNumber(index.segmentSize());
        chain.walk(tli, first, new State(false, Optional.empty(), backup.startLsn()));
        return List.copyOf(chain.ends);
    }

    private void walk(int tli, long fromSegment, State state) {
        List<Integer> children = index.timelines().childrenOf(tli).stream()
                .filter(c -> index.timelines().branchLsn(c).filter(b -> b.compareTo(stopLsn) >= 0).isPresent())
                .toList();
        for (long n = fromSegment; ; n++) {
            for (int c : children) {
                if (index.timelines().branchLsn(c).orElseThrow().segmentNumber(segmentSize) == n) {
                    walk(c, n, state);
                }
            }
            WalSegmentName name = new WalSegmentName(tli, n, segmentSize);
            // WAL of another database system cannot be replayed onto this backup ("WAL file is from different database system")
            Optional<SegmentInfo> seg = index.segment(name).filter(s -> !WalArchiveIndex.isPartial(s))
                    .filter(s -> !s.fromAnotherSystemThan(systemIdentifier));
            if (seg.isEmpty()) {
                WalSegmentName before = new WalSegmentName(tli, n - 1, segmentSize);
                Optional<WalGap> gap = index.gaps().stream().filter(g -> g.after().equals(before)).findFirst();
                ends.add(new End(tli, state.reachedStop(), state.lastXact(), state.endLsn(), gap));
                return;
            }
            state = step(state, seg.get());
            if (seg.get().damage().isPresent() || !seg.get().complete()) {
                ends.add(new End(tli, state.reachedStop(), state.lastXact(), state.endLsn(), Optional.empty()));
                return;
            }
        }
    }

    private State step(State s, SegmentInfo seg) {
        Optional<Instant> last = seg.lastXactTime().isPresent() ? seg.lastXactTime() : s.lastXact();
        long segmentEnd = seg.name().startLsn().value() + segmentSize;
        boolean reached = s.reachedStop() || seg.endLsn().compareTo(stopLsn) >= 0
                || (seg.complete() && seg.damage().isEmpty() && Long.compareUnsigned(segmentEnd, stopLsn.value()) >= 0);
        return new State(reached, last, seg.endLsn());
    }
}

package io.pitrconsole.schedule;

import io.pitrconsole.archiving.ArchivedWalFile;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.WalStore;
import io.pitrconsole.wal.TimelineHistory;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which timelines descend from which, read from the archive's TTTTTTTT.history files (each lists
 * every ancestor of its timeline, one "parentTLI switchpoint reason" line each).
 */
final class TimelineAncestry {
    private final Map<Integer, Set<Integer>> ancestors;

    private TimelineAncestry(Map<Integer, Set<Integer>> ancestors) {
        this.ancestors = ancestors;
    }

    /** Reads each listed history file; one that cannot be read or parsed stops the cleanup rather than let it guess. */
    static TimelineAncestry read(WalStore wal, List<ArchivedWalFile> files) {
        Map<Integer, Set<Integer>> a = new HashMap<>();
        for (ArchivedWalFile f : files) {
            if (!f.isHistory()) {
                continue;
            }
            int tli = f.file().historyTimeline().orElseThrow();
            Set<Integer> parents = new HashSet<>();
            try {
                TimelineHistory.parse(tli, TimelineHistory.read(wal, f.file())).forEach(b -> parents.add(b.parent()));
            } catch (PitrException e) {
                throw new PitrException("cannot read timeline history " + f.name() + " in " + wal.describe() + ": "
                        + io.pitrconsole.core.Printable.escape(e.getMessage(), 160),
                        "cleanup needs the .history files to know which WAL later timelines use; fix or restore the file");
            }
            a.merge(tli, parents, (x, y) -> x);
        }
        return new TimelineAncestry(a);
    }

    /**
     * Whether WAL on timeline {@code tli} can be replayed by a backup taken on {@code from}:
     * empty when a timeline above 1 has no history file, so nobody can tell.
     */
    Optional<Boolean> isSelfOrDescendant(int tli, int from) {
        if (tli == from) {
            return Optional.of(true);
        }
        Set<Integer> up = ancestors.get(tli);
        if (up == null) {
            return tli == 1 ? Optional.of(false) : Optional.empty();
        }
        return Optional.of(up.contains(from));
    }
}

package io.pitrconsole.schedule;

import io.pitrconsole.archiving.ArchivedWalFile;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.file.Files;
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

    static TimelineAncestry read(List<ArchivedWalFile> files) {
        Map<Integer, Set<Integer>> a = new HashMap<>();
        for (ArchivedWalFile f : files) {
            if (!f.isHistory()) {
                continue;
            }
            Set<Integer> parents = new HashSet<>();
            try {
                for (String line : Files.readAllLines(f.path())) {
                    String t = line.strip();
                    if (!t.isEmpty() && !t.startsWith("#")) {
                        parents.add(Integer.parseInt(t.split("\\s+")[0]));
                    }
                }
            } catch (IOException | NumberFormatException e) {
                throw new PitrException("cannot read timeline history " + f.path() + ": " + io.pitrconsole.core.Printable.escape(String.valueOf(e.getMessage()), 80),
                        "cleanup needs the .history files to know which WAL later timelines use; fix or restore the file");
            }
            a.put((int) Long.parseLong(f.name().substring(0, 8), 16), parents);
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

package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The timeline tree of an archive, from its {@code TTTTTTTT.history} files: which timeline each
 * one branched from and at which WAL location.
 */
public final class TimelineHistory {
    /** Timeline {@code timeline} began at {@code branchLsn} of {@code parent}. */
    public record Branch(int timeline, int parent, Lsn branchLsn, String reason) {
    }

    private final Map<Integer, Branch> branches;
    private final TreeSet<Integer> timelines;

    private TimelineHistory(Map<Integer, Branch> branches, Collection<Integer> known) {
        this.branches = Map.copyOf(branches);
        this.timelines = new TreeSet<>(known);
        branches.values().forEach(b -> {
            timelines.add(b.timeline());
            timelines.add(b.parent());
        });
    }

    public static TimelineHistory empty() {
        return new TimelineHistory(Map.of(), List.of());
    }

    /**
     * Builds the tree from the text of each history file (keyed by the timeline it names) plus
     * timelines known only from their segments. A file's own line wins over what a descendant's
     * file says about it, though PostgreSQL writes both the same.
     */
    public static TimelineHistory of(Map<Integer, String> historyFiles, Collection<Integer> segmentTimelines) {
        Map<Integer, Branch> inferred = new TreeMap<>();
        Map<Integer, Branch> own = new TreeMap<>();
        for (var e : historyFiles.entrySet()) {
            List<Branch> chain = parse(e.getKey(), e.getValue());
            for (int i = 0; i < chain.size(); i++) {
                (i == chain.size() - 1 ? own : inferred).put(chain.get(i).timeline(), chain.get(i));
            }
        }
        inferred.putAll(own);
        return new TimelineHistory(inferred, segmentTimelines);
    }

    /**
     * Parses one history file: each line {@code parentTLI<TAB>X/X<TAB>reason} names an ancestor
     * and where the next timeline of the chain (the last line: this one) branched from it.
     */
    public static List<Branch> parse(int timeline, String text) {
        List<int[]> tlis = new ArrayList<>();
        List<Lsn> lsns = new ArrayList<>();
        List<String> reasons = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            try {
                int parent = Integer.parseInt(parts[0]);
                if (parts.length < 2 || parent <= 0 || parent >= timeline) {
                    throw new NumberFormatException();
                }
                tlis.add(new int[] {parent});
                lsns.add(Lsn.parse(parts[1]));
                reasons.add(parts.length > 2 ? parts[2].strip() : "");
            } catch (NumberFormatException | PitrException e) {
                throw new PitrException(String.format("%08X.history line %d is not 'parentTLI<TAB>X/X<TAB>reason': %s",
                        timeline, n + 1, io.pitrconsole.core.Printable.escape(line, 80)), "the file is damaged; restore it from the server's pg_wal or a copy of the archive");
            }
        }
        List<Branch> chain = new ArrayList<>();
        for (int i = 0; i < tlis.size(); i++) {
            int child = i + 1 < tlis.size() ? tlis.get(i + 1)[0] : timeline;
            chain.add(new Branch(child, tlis.get(i)[0], lsns.get(i), reasons.get(i)));
        }
        return chain;
    }

    /** The text of a history file in a WAL archive, decompressed when it was archived compressed. */
    public static String read(WalStore wal, WalFile file) {
        return WalArchiveIndex.readText(wal, file);
    }

    /** The timeline this one branched from; empty for a root timeline (usually 1). */
    public OptionalInt parentOf(int tli) {
        Branch b = branches.get(tli);
        return b == null ? OptionalInt.empty() : OptionalInt.of(b.parent());
    }

    /** Where this timeline branched from its parent; its WAL before that is the parent's. */
    public Optional<Lsn> branchLsn(int tli) {
        return Optional.ofNullable(branches.get(tli)).map(Branch::branchLsn);
    }

    /** Every timeline known from history files or segments, ascending. */
    public List<Integer> timelines() {
        return List.copyOf(timelines);
    }

    /** Timelines that branched directly from this one, ascending. */
    public List<Integer> childrenOf(int tli) {
        return branches.values().stream().filter(b -> b.parent() == tli).map(Branch::timeline).sorted().toList();
    }

    /** All known branches, by child timeline. */
    public List<Branch> branches() {
        return branches.values().stream().sorted(java.util.Comparator.comparingInt(Branch::timeline)).toList();
    }
}

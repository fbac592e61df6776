package io.pitrconsole.schedule;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a cleanup removes and keeps. The dry run prints it; the real run removes exactly its
 * removals (planned again under the archive lock).
 *
 * @param leftovers  temporary files killed writers left behind (see LeftoverFiles)
 * @param kept       backup id -> why it stays (policy slots, "newest verified", "size cap not reached" ...)
 * @param bytesAfter what the backups and WAL that stay take on disk
 * @param notes      things the user should know (unreadable backups left alone, cap still exceeded ...)
 */
public record CleanupPlan(List<Removal> backups, List<Removal> wal, List<Removal> leftovers, Map<String, List<String>> kept, long bytesAfter,
                          List<String> notes) {

    /** One backup directory or WAL file to remove, its size and why it goes. */
    public record Removal(String name, Path path, long bytes, String reason) {
    }

    public CleanupPlan {
        backups = List.copyOf(backups);
        wal = List.copyOf(wal);
        leftovers = List.copyOf(leftovers);
        kept = Map.copyOf(kept);
        notes = List.copyOf(notes);
    }

    public long bytesFreed() {
        return backups.stream().mapToLong(Removal::bytes).sum() + wal.stream().mapToLong(Removal::bytes).sum()
                + leftovers.stream().mapToLong(Removal::bytes).sum();
    }

    public boolean isEmpty() {
        return backups.isEmpty() && wal.isEmpty() && leftovers.isEmpty();
    }
}

package io.pitrconsole.recovery.target;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.plan.RestorePlanner;
import io.pitrconsole.repository.Repository;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decides whether a target can be reached from the archive and from which backup, refusing a
 * target before the first backup or beyond the archived WAL before anything is touched.
 */
public abstract class TargetValidator {

    protected final Repository repository;

    TargetValidator(Repository repository) {
        this.repository = repository;
    }

    /**
     * The chosen backup, timeline and WAL files, with what was checked and what the user should know or be warned of.
     *
     * @param walBytes the WAL files' size as the archive stores them (as its listing, which the index was read from, gave it)
     * @param walEnd recovery reads the WAL up to (not including) this location; null when not known,
     *               and then every record of the last file counts
     */
    public record Choice(BackupRecord backup, int timeline, List<Path> walFiles, long walBytes, List<String> checks, List<Hint> notes,
                  List<Hint> warnings, Lsn walEnd) {
        /** The notes in command-line words, as the plan lists them. */
        public List<String> noteLines() {
            return notes.stream().map(Hint::commandLine).toList();
        }

        /** The warnings in command-line words, as the plan lists them. */
        public List<String> warningLines() {
            return warnings.stream().map(Hint::commandLine).toList();
        }

        /** The console's wording of each note and warning worded otherwise, keyed by its command-line wording. */
        public Map<String, String> consoleWords() {
            Map<String, String> out = new LinkedHashMap<>();
            java.util.stream.Stream.concat(notes.stream(), warnings.stream())
                    .filter(h -> !h.console().equals(h.commandLine())).forEach(h -> out.put(h.commandLine(), h.console()));
            return out;
        }
    }

    /** Picks the newest backup from which the target is reachable. */
    public Choice choose(RecoveryTarget target, List<BackupRecord> usableNewestFirst) {
        BackupRecord oldest = usableNewestFirst.get(usableNewestFirst.size() - 1);
        for (BackupRecord b : usableNewestFirst) {
            if (startsBefore(b, target)) {
                return checkWithBackup(target, b, usableNewestFirst);
            }
        }
        throw new PitrException("the target " + target.describe() + " lies before the first usable backup",
                "the earliest restorable moment is the end of backup " + oldest.id() + " at " + shown(RestorePlanner.stopOf(oldest))
                        + (oldest.stopLsn() == null ? "" : " (LSN " + oldest.stopLsn() + ")"));
    }

    /** Checks the target against one backup: it must lie after the backup's end, with all WAL up to it archived. */
    public abstract Choice checkWithBackup(RecoveryTarget target, BackupRecord b, List<BackupRecord> usable);

    static boolean startsBefore(BackupRecord b, RecoveryTarget target) {
        return switch (target.kind()) {
            case TIME -> !RestorePlanner.stopOf(b).isAfter(target.time().toInstant());
            case LSN -> b.stopLsn() == null || b.stopLsn().compareTo(Lsn.parse(target.value())) <= 0;
            default -> true;
        };
    }

    public static String shown(Instant t) {
        return io.pitrconsole.core.Timestamps.seconds(t);
    }
}

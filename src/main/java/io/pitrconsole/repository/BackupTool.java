package io.pitrconsole.repository;

import io.pitrconsole.core.Cancellation;
import java.util.List;
import java.util.function.Consumer;

/**
 * A repository kind's own backup program (pgBackRest's backup and verify), for kinds whose
 * backups the console does not take with pg_basebackup. Kinds the console writes itself have none.
 */
public interface BackupTool {

    /** The backup types the program takes, the first its default (pgBackRest: incr, full, diff). */
    List<String> types();

    /**
     * Takes a backup of a type; each line the program logs goes to {@code log} with its progress
     * in percent when it says one (else -1). Returns the new backup's id.
     */
    String take(String type, Progress log, Cancellation cancel);

    /** Checks every backup (and the WAL) with the program's own verification; one result per backup. */
    List<Checked> verify(Consumer<String> log, Cancellation cancel);

    /** A line the program logged, with the percentage done it names, or -1. */
    @FunctionalInterface
    interface Progress {
        void line(double percent, String line);
    }

    /**
     * One backup as the program's verification found it.
     *
     * @param problems what is wrong, in the program's words; empty when the backup is valid
     */
    record Checked(String backupId, boolean valid, int filesChecked, List<String> problems) {
        public Checked {
            problems = List.copyOf(problems);
        }
    }
}

package io.pitrconsole.practice;

import java.time.Instant;

/**
 * What the practice cluster's state file records: enough to start, connect to and describe it.
 * {@code historyPending} is true from the first restorable range until the whole history is
 * written, and stays true when the writing stopped early (cancelled, console closed); the counts
 * are always those of what the archive holds.
 */
public record PracticeState(int port, String user, String database, String osUser, String pgBin, Instant created,
                            Instant historyFrom, Instant historyTo, int backups, int restorePoints, boolean historyPending) {

    /** The same cluster with its history written up to {@code to}. */
    PracticeState withHistory(Instant to, int backupCount, int restorePointCount, boolean pending) {
        return new PracticeState(port, user, database, osUser, pgBin, created, historyFrom, to, backupCount, restorePointCount, pending);
    }
}

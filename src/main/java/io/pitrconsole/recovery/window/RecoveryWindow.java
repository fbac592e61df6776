package io.pitrconsole.recovery.window;

import io.pitrconsole.core.Lsn;
import io.pitrconsole.wal.WalGap;
import java.time.Instant;
import java.util.Optional;

/**
 * The moments a backup can be restored to on one timeline: from the backup's stop (the earliest
 * consistent point; the next whole second when the stop time is only known to the second) to the
 * last transaction reachable through unbroken archived WAL.
 *
 * @param fromLsn    the backup's stop location: recovery must replay at least to here
 * @param toLsn      the end of the last valid WAL record reachable
 * @param endedByGap the missing segments that cut the window short, if that is why it ends
 */
public record RecoveryWindow(String backupId, int timeline, Instant from, Instant to, Lsn fromLsn, Lsn toLsn,
                             Optional<WalGap> endedByGap) {
    /** True when t lies within the window, edges included. */
    public boolean covers(Instant t) {
        return !t.isBefore(from) && !t.isAfter(to);
    }

    /**
     * True when a restore to the time t (inclusive or not) stops inside this window: from its start,
     * included, to its last transaction, excluded. Recovery only knows it has passed t when it reads
     * a commit after it, and after the last transaction none is archived, so a target at that very
     * moment ends in "recovery ended before configured recovery target was reached".
     */
    public boolean reaches(Instant t) {
        return !t.isBefore(from) && t.isBefore(to);
    }

    /** The last moment {@link #reaches} holds for, to the microsecond PostgreSQL keeps: one before the last transaction. */
    public Instant lastReachable() {
        return to.minusNanos(1000);
    }
}

package io.pitrconsole.recovery;

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
}

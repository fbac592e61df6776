package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What one archived WAL segment holds, as far as recovery cares.
 *
 * @param file          the file it was read from: its path when the archive keeps it on this
 *                      machine, else just its name in the archive (read it again through
 *                      {@link WalArchiveIndex#wal()})
 * @param startLsn      where the first record that begins in this segment starts (the segment's
 *                      start if none begins in it)
 * @param endLsn        the location just after the last valid record read
 * @param firstXactTime time of the first commit/abort record (in WAL order) that begins here
 * @param lastXactTime  time of the last commit/abort record (in WAL order) that begins here
 * @param complete      the segment was read validly to its end (or to a segment switch); false for
 *                      damaged segments and for .partial segments
 * @param damage        why reading stopped early, with the WAL location, if it did
 * @param systemIdentifier the database system in the segment's long page header; 0 when unknown
 *                      (the first page could not be read)
 */
public record SegmentInfo(WalSegmentName name, Path file, long fileSize, Lsn startLsn, Lsn endLsn,
                          Optional<Instant> firstXactTime, Optional<Instant> lastXactTime,
                          List<RestorePoint> restorePoints, boolean complete, Optional<String> damage, long systemIdentifier) {
    public SegmentInfo {
        restorePoints = List.copyOf(restorePoints);
    }

    /** Without a known system identifier. */
    public SegmentInfo(WalSegmentName name, Path file, long fileSize, Lsn startLsn, Lsn endLsn, Optional<Instant> firstXactTime,
                       Optional<Instant> lastXactTime, List<RestorePoint> restorePoints, boolean complete, Optional<String> damage) {
        this(name, file, fileSize, startLsn, endLsn, firstXactTime, lastXactTime, restorePoints, complete, damage, 0);
    }

    /** True when the segment names a database system and it is not this one (given as pg_control prints it). */
    public boolean fromAnotherSystemThan(String systemIdentifier) {
        return this.systemIdentifier != 0 && systemIdentifier != null && !systemIdentifier.isBlank()
                && !Long.toUnsignedString(this.systemIdentifier).equals(systemIdentifier);
    }

    /** True when nothing was wrong with the bytes. */
    public boolean valid() {
        return damage.isEmpty();
    }
}

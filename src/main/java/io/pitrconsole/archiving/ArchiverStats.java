package io.pitrconsole.archiving;

import java.time.Instant;

/**
 * pg_stat_archiver plus what the archive directory itself shows.
 *
 * @param segmentsPerHour segments archived per hour over the last 24 hours (by file time)
 * @param newestSegmentAgeSeconds age of the newest segment's file, or null when there is none
 */
public record ArchiverStats(long archivedCount, String lastArchivedWal, Instant lastArchivedTime, long failedCount,
                            String lastFailedWal, Instant lastFailedTime, Instant statsReset, long archiveBytes,
                            int segmentCount, long segmentsLastHour, double segmentsPerHour, String newestSegment,
                            Double newestSegmentAgeSeconds) {

    /** True when the last attempt failed (a failure is newer than the last success). */
    public boolean failing() {
        return lastFailedTime != null && (lastArchivedTime == null || lastFailedTime.isAfter(lastArchivedTime));
    }
}

package io.pitrconsole.archiving;

import java.time.Instant;

/** pg_stat_archiver plus what the archive directory itself shows. */
public record ArchiverStats(long archivedCount, String lastArchivedWal, Instant lastArchivedTime, long failedCount,
                            String lastFailedWal, Instant lastFailedTime, Instant statsReset, long archiveBytes,
                            int segmentCount, int segmentsLastHour, String newestSegment, Double newestSegmentAgeSeconds) {
}

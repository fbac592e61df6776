package io.pitrconsole.schedule;

import java.time.Instant;
import java.util.Map;

/**
 * The numbers behind a health report, for /metrics and --json. A null means "not known" (no
 * backup yet, server unreachable, ...), and the metric is then left out rather than faked.
 *
 * @param backupsByStatus      backup count per status label
 * @param walGaps              missing segments between the first and last archived segment of each timeline
 * @param lastArchivedTransaction the newest commit/abort time found in the archived WAL
 * @param recoveryWindowEnd    the newest moment the archive can restore to, when known
 */
public record HealthMetrics(
        Map<String, Long> backupsByStatus,
        Long backupsBytes,
        String newestBackupId,
        Instant newestBackupTime,
        Double newestBackupAgeSeconds,
        Long newestBackupBytes,
        Instant lastVerified,
        Boolean serverUp,
        Long archiverArchivedCount,
        Long archiverFailedCount,
        Boolean archiverFailing,
        Instant archiverLastFailedTime,
        String newestWal,
        Double newestWalAgeSeconds,
        Long walArchiveBytes,
        Long walSegments,
        Long walGaps,
        Long freeBytes,
        Instant lastArchivedTransaction,
        Instant recoveryWindowEnd) {

    public HealthMetrics {
        backupsByStatus = Map.copyOf(backupsByStatus);
    }
}

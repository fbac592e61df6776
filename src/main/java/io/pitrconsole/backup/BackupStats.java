package io.pitrconsole.backup;

import java.time.Instant;

/** Totals over an archive's backups (the original --stats). Averages cover usable backups only. */
public record BackupStats(int count, int usable, int failed, int unreadable, long totalSizeBytes, long totalOriginalBytes,
                          Instant oldest, Instant newest, double averageDurationSeconds, double averageCompressionRatio,
                          long walArchiveBytes) {
}

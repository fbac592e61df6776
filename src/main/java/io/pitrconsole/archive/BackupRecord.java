package io.pitrconsole.archive;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.pitrconsole.core.Lsn;
import java.time.Instant;
import java.util.List;

/**
 * The catalog's source of truth for one base backup, stored as backup.json in its directory.
 * LSNs, times and timeline come from the backup's own backup_label and .backup history file.
 *
 * @param stopTimeSource "backup-history-file" when the stop time is the server's, "client-clock"
 *                       when the archive had no .backup file in time and our clock was used
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record BackupRecord(
        int formatVersion,
        String id,
        String label,
        BackupStatus status,
        Instant startTime,
        Instant stopTime,
        String stopTimeSource,
        Lsn startLsn,
        Lsn stopLsn,
        Lsn checkpointLsn,
        Integer timeline,
        String pgVersion,
        String systemIdentifier,
        Long walSegmentSize,
        Compression compression,
        long sizeBytes,
        long originalSizeBytes,
        String host,
        int port,
        List<Tablespace> tablespaces,
        List<String> files,
        Double durationSeconds,
        Instant lastVerified,
        String verifyDetail,
        String error) {

    public static final int FORMAT_VERSION = 1;

    public BackupRecord {
        tablespaces = tablespaces == null ? List.of() : List.copyOf(tablespaces);
        files = files == null ? List.of() : List.copyOf(files);
    }

    public BackupRecord withStatus(BackupStatus newStatus, String newError) {
        return new BackupRecord(formatVersion, id, label, newStatus, startTime, stopTime, stopTimeSource, startLsn, stopLsn,
                checkpointLsn, timeline, pgVersion, systemIdentifier, walSegmentSize, compression, sizeBytes,
                originalSizeBytes, host, port, tablespaces, files, durationSeconds, lastVerified, verifyDetail, newError);
    }

    public BackupRecord withVerification(BackupStatus newStatus, Instant when, String detail) {
        return new BackupRecord(formatVersion, id, label, newStatus, startTime, stopTime, stopTimeSource, startLsn, stopLsn,
                checkpointLsn, timeline, pgVersion, systemIdentifier, walSegmentSize, compression, sizeBytes,
                originalSizeBytes, host, port, tablespaces, files, durationSeconds, when, detail, error);
    }

    /** Compressed size over original size; 1.0 when nothing is known. */
    public double compressionRatio() {
        return sizeBytes <= 0 || originalSizeBytes <= 0 ? 1.0 : (double) originalSizeBytes / sizeBytes;
    }
}

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

    /** A record of a new backup: only its id and label; everything else is set on the builder. */
    public static Builder builder(String id) {
        return new Builder().formatVersion(FORMAT_VERSION).id(id).label(id);
    }

    /** A builder holding this record's values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.formatVersion = formatVersion;
        b.id = id;
        b.label = label;
        b.status = status;
        b.startTime = startTime;
        b.stopTime = stopTime;
        b.stopTimeSource = stopTimeSource;
        b.startLsn = startLsn;
        b.stopLsn = stopLsn;
        b.checkpointLsn = checkpointLsn;
        b.timeline = timeline;
        b.pgVersion = pgVersion;
        b.systemIdentifier = systemIdentifier;
        b.walSegmentSize = walSegmentSize;
        b.compression = compression;
        b.sizeBytes = sizeBytes;
        b.originalSizeBytes = originalSizeBytes;
        b.host = host;
        b.port = port;
        b.tablespaces = tablespaces;
        b.files = files;
        b.durationSeconds = durationSeconds;
        b.lastVerified = lastVerified;
        b.verifyDetail = verifyDetail;
        b.error = error;
        return b;
    }

    public BackupRecord withStatus(BackupStatus newStatus, String newError) {
        return toBuilder().status(newStatus).error(newError).build();
    }

    public BackupRecord withVerification(BackupStatus newStatus, Instant when, String detail) {
        return toBuilder().status(newStatus).lastVerified(when).verifyDetail(detail).build();
    }

    /** Builds a {@link BackupRecord} field by field, by name rather than by position. */
    public static final class Builder {
        private int formatVersion;
        private String id;
        private String label;
        private BackupStatus status;
        private Instant startTime;
        private Instant stopTime;
        private String stopTimeSource;
        private Lsn startLsn;
        private Lsn stopLsn;
        private Lsn checkpointLsn;
        private Integer timeline;
        private String pgVersion;
        private String systemIdentifier;
        private Long walSegmentSize;
        private Compression compression;
        private long sizeBytes;
        private long originalSizeBytes;
        private String host;
        private int port;
        private List<Tablespace> tablespaces;
        private List<String> files;
        private Double durationSeconds;
        private Instant lastVerified;
        private String verifyDetail;
        private String error;

        private Builder() {
        }

        public Builder formatVersion(int value) {
            this.formatVersion = value;
            return this;
        }

        public Builder id(String value) {
            this.id = value;
            return this;
        }

        public Builder label(String value) {
            this.label = value;
            return this;
        }

        public Builder status(BackupStatus value) {
            this.status = value;
            return this;
        }

        public Builder startTime(Instant value) {
            this.startTime = value;
            return this;
        }

        public Builder stopTime(Instant value) {
            this.stopTime = value;
            return this;
        }

        public Builder stopTimeSource(String value) {
            this.stopTimeSource = value;
            return this;
        }

        public Builder startLsn(Lsn value) {
            this.startLsn = value;
            return this;
        }

        public Builder stopLsn(Lsn value) {
            this.stopLsn = value;
            return this;
        }

        public Builder checkpointLsn(Lsn value) {
            this.checkpointLsn = value;
            return this;
        }

        public Builder timeline(Integer value) {
            this.timeline = value;
            return this;
        }

        public Builder pgVersion(String value) {
            this.pgVersion = value;
            return this;
        }

        public Builder systemIdentifier(String value) {
            this.systemIdentifier = value;
            return this;
        }

        public Builder walSegmentSize(Long value) {
            this.walSegmentSize = value;
            return this;
        }

        public Builder compression(Compression value) {
            this.compression = value;
            return this;
        }

        public Builder sizeBytes(long value) {
            this.sizeBytes = value;
            return this;
        }

        public Builder originalSizeBytes(long value) {
            this.originalSizeBytes = value;
            return this;
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder tablespaces(List<Tablespace> value) {
            this.tablespaces = value;
            return this;
        }

        public Builder files(List<String> value) {
            this.files = value;
            return this;
        }

        public Builder durationSeconds(Double value) {
            this.durationSeconds = value;
            return this;
        }

        public Builder lastVerified(Instant value) {
            this.lastVerified = value;
            return this;
        }

        public Builder verifyDetail(String value) {
            this.verifyDetail = value;
            return this;
        }

        public Builder error(String value) {
            this.error = value;
            return this;
        }

        public BackupRecord build() {
            return new BackupRecord(formatVersion, id, label, status, startTime, stopTime, stopTimeSource, startLsn, stopLsn,
                    checkpointLsn, timeline, pgVersion, systemIdentifier, walSegmentSize, compression, sizeBytes, originalSizeBytes,
                    host, port, tablespaces, files, durationSeconds, lastVerified, verifyDetail, error);
        }
    }

    /** Compressed size over original size; 1.0 when nothing is known. */
    public double compressionRatio() {
        return sizeBytes <= 0 || originalSizeBytes <= 0 ? 1.0 : (double) originalSizeBytes / sizeBytes;
    }
}

package io.pitrconsole.archive;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.pitrconsole.core.ByteSize;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * backup_metadata.json in the original scripts' shape and field names, derived from the
 * backup.json files so that scripts written against the old tool keep working.
 */
public record LegacyMetadata(List<Entry> backups, @JsonProperty("last_updated") String lastUpdated) {

    public record Entry(
            String id,
            String timestamp,
            @JsonProperty("size_bytes") long sizeBytes,
            @JsonProperty("size_human") String sizeHuman,
            String host,
            int port,
            String status,
            boolean verified,
            boolean compressed,
            @JsonProperty("recovery_target_timeline") String recoveryTargetTimeline) {
    }

    private static final DateTimeFormatter ISO_LOCAL = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    public static LegacyMetadata of(List<BackupRecord> records) {
        List<Entry> entries = records.stream().map(r -> new Entry(
                r.id(),
                r.startTime() == null ? "" : ISO_LOCAL.format(r.startTime().atZone(ZoneId.systemDefault())),
                r.sizeBytes(),
                ByteSize.of(r.sizeBytes()).human(),
                r.host(),
                r.port(),
                r.status().label(),
                r.status() == BackupStatus.VERIFIED,
                r.compression() != null && r.compression() != Compression.NONE,
                r.timeline() == null ? "latest" : String.valueOf(r.timeline()))).toList();
        return new LegacyMetadata(entries, ISO_LOCAL.format(Instant.now().atZone(ZoneId.systemDefault())));
    }
}

package io.pitrconsole.archive;

import io.pitrconsole.core.Lsn;
import java.time.Instant;
import java.time.ZoneId;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The backup_label file inside base.tar, or a .backup history file from the WAL archive, which
 * has the same lines plus STOP WAL LOCATION, STOP TIME and STOP TIMELINE.
 */
public record BackupLabel(Map<String, String> fields, Optional<ZoneId> serverZone) {

    public static BackupLabel parse(String text, Optional<ZoneId> serverZone) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                fields.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
            }
        }
        return new BackupLabel(fields, serverZone);
    }

    public Optional<Lsn> startLsn() {
        return lsn("START WAL LOCATION");
    }

    public Optional<Lsn> stopLsn() {
        return lsn("STOP WAL LOCATION");
    }

    public Optional<Lsn> checkpointLsn() {
        return lsn("CHECKPOINT LOCATION");
    }

    public Optional<Instant> startTime() {
        return LabelTimes.parse(fields.get("START TIME"), serverZone);
    }

    public Optional<Instant> stopTime() {
        return LabelTimes.parse(fields.get("STOP TIME"), serverZone);
    }

    public Optional<Integer> startTimeline() {
        return Optional.ofNullable(fields.get("START TIMELINE")).map(String::trim).map(Integer::valueOf);
    }

    /**
     * Where the backup an incremental backup (pg_basebackup --incremental, PostgreSQL 17 on) is
     * based on started: its "INCREMENTAL FROM LSN" line. Empty for a full backup.
     */
    public Optional<Lsn> incrementalFromLsn() {
        return lsn("INCREMENTAL FROM LSN");
    }

    /** The timeline of that earlier backup's start: the "INCREMENTAL FROM TLI" line. */
    public Optional<Integer> incrementalFromTimeline() {
        return Optional.ofNullable(fields.get("INCREMENTAL FROM TLI")).map(String::trim).map(Integer::valueOf);
    }

    public Optional<String> label() {
        return Optional.ofNullable(fields.get("LABEL"));
    }

    /** "0/2000028 (file 000000010000000000000002)" -> 0/2000028 */
    private Optional<Lsn> lsn(String key) {
        String v = fields.get(key);
        if (v == null) {
            return Optional.empty();
        }
        int space = v.indexOf(' ');
        return Optional.of(Lsn.parse(space > 0 ? v.substring(0, space) : v));
    }
}

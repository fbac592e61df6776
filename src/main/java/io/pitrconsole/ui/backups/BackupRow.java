package io.pitrconsole.ui.backups;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.CatalogEntry;
import io.pitrconsole.ui.DisplayFormats;
import java.time.Instant;
import java.util.Locale;

/**
 * One line of the backups table. An unreadable backup.json still gets a line (status
 * "unreadable", the problem as its label) so it is never silently missing.
 */
public record BackupRow(String id, String label, Instant started, long sizeBytes, double ratio, String compression,
                        Integer timeline, String status, Instant verified) {

    public static final String UNREADABLE = "unreadable";

    public static BackupRow of(CatalogEntry e) {
        if (e.record().isEmpty()) {
            return new BackupRow(e.id(), e.problem().orElse(""), null, -1, 0, "-", null, UNREADABLE, null);
        }
        BackupRecord r = e.record().get();
        return new BackupRow(r.id(), r.label(), r.startTime(), r.sizeBytes(), r.compressionRatio(),
                r.compression() == null ? "-" : r.compression().label(), r.timeline(), r.status().label(), r.lastVerified());
    }

    /** True when every word of the filter appears in the id, label, status, compression or time. */
    public boolean matches(String filter) {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        String hay = String.join(" ", id, label == null ? "" : label, status, compression, DisplayFormats.time(started),
                timeline == null ? "" : "tl" + timeline).toLowerCase(Locale.ROOT);
        for (String word : filter.toLowerCase(Locale.ROOT).trim().split("\\s+")) {
            if (!hay.contains(word)) {
                return false;
            }
        }
        return true;
    }

    /** Whether verify can run on it (finished backups, corrupt ones included to re-check). */
    public boolean verifiable() {
        return status.equals("complete") || status.equals("verified") || status.equals("corrupt");
    }
}

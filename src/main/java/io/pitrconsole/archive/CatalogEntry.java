package io.pitrconsole.archive;

import java.util.Optional;

/**
 * One backup directory as the catalog sees it: its record, or why the record could not be read
 * (a hand-edited backup.json, say). Unreadable entries are listed, never silently skipped.
 */
public record CatalogEntry(String id, Optional<BackupRecord> record, Optional<String> problem) {
    public static CatalogEntry ok(BackupRecord r) {
        return new CatalogEntry(r.id(), Optional.of(r), Optional.empty());
    }

    public static CatalogEntry unreadable(String id, String problem) {
        return new CatalogEntry(id, Optional.empty(), Optional.of(problem));
    }
}

package io.pitrconsole.archive;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/**
 * Where a backup stands. Only COMPLETE and VERIFIED backups may be restored from. INCREMENTAL is
 * what the catalog sees in a backup taken with pg_basebackup --incremental (PostgreSQL 17 on),
 * whatever its backup.json says: it must be combined with pg_combinebackup before it is one.
 */
public enum BackupStatus {
    RUNNING, COMPLETE, FAILED, VERIFIED, CORRUPT, INCREMENTAL;

    @JsonCreator
    public static BackupStatus parse(String s) {
        return valueOf(s.trim().toUpperCase(Locale.ROOT));
    }

    public boolean usable() {
        return this == COMPLETE || this == VERIFIED;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

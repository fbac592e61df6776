package io.pitrconsole.archive;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Where a backup stands. Only COMPLETE and VERIFIED backups may be restored from. */
public enum BackupStatus {
    RUNNING, COMPLETE, FAILED, VERIFIED, CORRUPT;

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

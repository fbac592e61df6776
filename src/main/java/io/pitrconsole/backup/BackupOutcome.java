package io.pitrconsole.backup;

import io.pitrconsole.archive.BackupRecord;
import java.util.List;

/** A finished backup and anything the user should know about how it went (stale locks, ...). */
public record BackupOutcome(BackupRecord backup, List<String> notices) {
    public BackupOutcome {
        notices = List.copyOf(notices);
    }
}

package io.pitrconsole.archiving;

import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.WalFile;
import java.time.Instant;
import java.util.Optional;

/**
 * One file in the WAL archive: a segment (plain or .gz/.zst), a .partial segment, a .backup history
 * file or a timeline .history file (plain or compressed, as restore_command serves them).
 *
 * @param segment the segment the name starts with (also for .backup and .partial files)
 */
public record ArchivedWalFile(WalFile file, Optional<WalSegmentName> segment) {

    public String name() {
        return file.name();
    }

    public long size() {
        return file.size();
    }

    public Instant modified() {
        return file.modified();
    }

    /** A full WAL segment (possibly compressed), not a .partial, .backup or .history file. */
    public boolean isSegment() {
        return segment.isPresent() && file.isSegment();
    }

    public boolean isHistory() {
        return file.isHistory();
    }

    /** A .backup file, written by the server when a base backup ends. */
    public boolean isBackupHistory() {
        return file.isBackupHistory();
    }
}

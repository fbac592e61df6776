package io.pitrconsole.archiving;

import io.pitrconsole.core.WalSegmentName;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * One file in wal_archive/: a segment (plain or .gz/.zst), a .partial segment, a .backup history
 * file or a timeline .history file.
 *
 * @param segment the segment the name starts with (also for .backup and .partial files)
 */
public record ArchivedWalFile(String name, Path path, long size, Instant modified, Optional<WalSegmentName> segment) {

    /** A full WAL segment (possibly compressed), not a .partial, .backup or .history file. */
    public boolean isSegment() {
        return segment.isPresent() && name.matches("[0-9A-F]{24}(\\.gz|\\.zst)?");
    }

    public boolean isHistory() {
        return name.matches("[0-9A-F]{8}\\.history");
    }

    /** A .backup file, written by the server when a base backup ends. */
    public boolean isBackupHistory() {
        return name.matches("[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup");
    }
}

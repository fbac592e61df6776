package io.pitrconsole.repository;

import java.time.Instant;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * One file of a WAL archive, as its listing shows it. What a name means is the same for every
 * kind of repository: the server's archive_command names files after what it archives, and
 * restore_command is asked for those names (and takes a .gz or .zst copy when it finds one).
 *
 * @param modified when the file arrived (the archive's clock); a change detector and an arrival
 *                 time, never a recovery time
 * @param version  what the store itself says of this exact content (an S3 object's ETag), empty
 *                 when it says nothing: S3 keeps {@code modified} to the second only, so an object
 *                 replaced within the same second at the same size is told apart by this alone
 */
public record WalFile(String name, long size, Instant modified, String version) {
    private static final Pattern SEGMENT = Pattern.compile("[0-9A-F]{24}(\\.gz|\\.zst)?");
    private static final Pattern PARTIAL = Pattern.compile("[0-9A-F]{24}\\.partial(\\.gz|\\.zst)?");
    private static final Pattern HISTORY = Pattern.compile("[0-9A-F]{8}\\.history(\\.gz|\\.zst)?");
    private static final Pattern BACKUP = Pattern.compile("[0-9A-F]{24}\\.[0-9A-F]{8}\\.backup(\\.gz|\\.zst)?");

    public WalFile {
        version = version == null ? "" : version;
    }

    /** A file whose store tells its versions apart by size and time alone (a directory's file). */
    public WalFile(String name, long size, Instant modified) {
        this(name, size, modified, "");
    }

    /** A full WAL segment, plain or compressed (not .partial, .backup or .history). */
    public boolean isSegment() {
        return SEGMENT.matcher(name).matches();
    }

    /** The last, unfinished segment of a timeline that ended (archived when a standby was promoted). */
    public boolean isPartial() {
        return PARTIAL.matcher(name).matches();
    }

    /**
     * A timeline history file, plain or compressed: restore_command serves NNNNNNNN.history from
     * NNNNNNNN.history.gz or .zst as well, so all three are the timeline's history.
     */
    public boolean isHistory() {
        return HISTORY.matcher(name).matches();
    }

    /** A .backup file, written by the server when a base backup ends. */
    public boolean isBackupHistory() {
        return BACKUP.matcher(name).matches();
    }

    /** The timeline a history file describes. */
    public OptionalInt historyTimeline() {
        return isHistory() ? OptionalInt.of((int) Long.parseLong(name.substring(0, 8), 16)) : OptionalInt.empty();
    }

    /** Compressed by the archive_command (restore_command decompresses it). */
    public boolean isCompressed() {
        return name.endsWith(".gz") || name.endsWith(".zst");
    }
}

package io.pitrconsole.repository.local;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BackupIds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;

/**
 * Where things live in an archive directory. Compatible with the original scripts: one
 * backup_YYYYMMDD_HHMMSS directory per base backup, wal_archive/ for WAL, backup_metadata.json,
 * backup_schedule.json, and our own .pitr/ for caches, the lock and reports.
 */
public record ArchiveLayout(Path root) {

    public ArchiveLayout {
        root = root.toAbsolutePath().normalize();
    }

    public Path walArchive() {
        return root.resolve("wal_archive");
    }

    public Path legacyMetadata() {
        return root.resolve("backup_metadata.json");
    }

    public Path scheduleFile() {
        return root.resolve("backup_schedule.json");
    }

    public Path stateDir() {
        return root.resolve(".pitr");
    }

    /** The lock file of earlier versions (one JSON holder); only read now, to honour or clear what they left. */
    public Path lockFile() {
        return stateDir().resolve("lock");
    }

    /** One file per holder of the archive lock, each locked by the operating system while its process holds it. */
    public Path lockDir() {
        return stateDir().resolve("locks");
    }

    /** Timelines abandoned by rolling back an in-place restore (see AbandonedTimelines). */
    public Path abandonedTimelinesFile() {
        return stateDir().resolve("abandoned-timelines.json");
    }

    public Path backupDir(String id) {
        return root.resolve(BackupIds.require(id));
    }

    public Path backupJson(String id) {
        return backupDir(id).resolve("backup.json");
    }

    /** A fresh id from the given local time; a later second is used when the name is taken. */
    public String newBackupId(LocalDateTime now) {
        return BackupIds.next(now, id -> Files.exists(root.resolve(id)), "remove stray backup_* directories from the archive");
    }

    /** Fails with a hint unless the archive directory exists and can be written. */
    public void requireWritable() {
        if (!Files.exists(root)) {
            throw new PitrException("archive directory " + root + " does not exist",
                    Hint.of("create it (mkdir -p " + root + ") and let the server's OS user write to it, or pass another --archive",
                            "create it (mkdir -p " + root + ") and let the server's OS user write to it, or choose another archive directory"
                                    + " for the profile under Settings"));
        }
        if (!Files.isDirectory(root)) {
            throw new PitrException("archive path " + root + " is not a directory",
                    Hint.of("pass a directory with --archive", "choose a directory as the profile's archive under Settings"));
        }
        if (!Files.isWritable(root)) {
            throw new PitrException("archive directory " + root + " is not writable by this user",
                    "fix its permissions (chown/chmod) or run as a user who may write there");
        }
    }

    /** Fails with a hint unless the archive directory exists and can be read. */
    public void requireReadable() {
        if (Files.exists(root) && !Files.isDirectory(root)) {
            throw new PitrException("archive path " + root + " is not a directory",
                    Hint.of("pass the archive directory with --archive DIR (the directory that holds backup_* folders), not a file in it",
                            "choose the directory that holds the backup_* folders as the profile's archive under Settings, not a file in it"));
        }
        if (!Files.isDirectory(root)) {
            throw new PitrException("archive directory " + root + " does not exist",
                    Hint.of("pass the archive with --archive DIR (the directory that holds backup_* folders)",
                            "choose the directory that holds the backup_* folders as the profile's archive under Settings"));
        }
    }
}

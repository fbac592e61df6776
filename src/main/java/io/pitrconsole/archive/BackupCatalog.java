package io.pitrconsole.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pitrconsole.core.AtomicFiles;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads and writes the per-backup backup.json files of an archive and keeps the derived
 * backup_metadata.json (the original scripts' format) in step with them.
 */
public final class BackupCatalog {
    private final ArchiveLayout layout;
    private final ObjectMapper json = Json.mapper();

    public BackupCatalog(ArchiveLayout layout) {
        this.layout = layout;
    }

    public ArchiveLayout layout() {
        return layout;
    }

    /** All backup directories, newest first; unreadable ones included with their problem. */
    public List<CatalogEntry> entries() {
        layout.requireReadable();
        List<CatalogEntry> result = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(layout.root())) {
            for (Path dir : dirs.filter(Files::isDirectory)
                    .filter(d -> ArchiveLayout.BACKUP_DIR.matcher(d.getFileName().toString()).matches()).toList()) {
                result.add(read(dir.getFileName().toString()));
            }
        } catch (IOException e) {
            throw new PitrException("cannot list archive directory " + layout.root() + ": " + e.getMessage(),
                    "check that this user may read the archive directory");
        }
        result.sort(Comparator.comparing(CatalogEntry::id).reversed());
        return result;
    }

    /** Readable backup records, newest first. */
    public List<BackupRecord> records() {
        return entries().stream().flatMap(e -> e.record().stream()).toList();
    }

    /** The record of one backup; a clear error when the id is unknown or its file is damaged. */
    public BackupRecord get(String id) {
        CatalogEntry e = read(id);
        if (e.problem().isPresent()) {
            throw new PitrException("backup " + id + ": " + e.problem().get(),
                    "fix or restore " + layout.backupJson(id) + " by hand (it was left unchanged), or delete the backup");
        }
        return e.record().orElseThrow();
    }

    public boolean exists(String id) {
        return Files.isDirectory(layout.backupDir(id));
    }

    private CatalogEntry read(String id) {
        Path dir = layout.backupDir(id);
        if (!Files.isDirectory(dir)) {
            throw new PitrException("no backup " + id + " in " + layout.root(),
                    Hint.of("'backup list --archive " + layout.root() + "' shows the backups there", "the Backups page lists the backups there"));
        }
        Path file = dir.resolve("backup.json");
        try {
            BackupRecord r = json.readValue(io.pitrconsole.core.RegularFiles.readAllBytes(file), BackupRecord.class);
            if (r.id() == null || !r.id().equals(id) || r.status() == null) {
                return CatalogEntry.unreadable(id, "backup.json does not describe " + id + " (id or status missing or different)");
            }
            return CatalogEntry.ok(asFound(dir, r, layout.walArchive()));
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            return CatalogEntry.unreadable(id, "backup.json is missing");
        } catch (JsonProcessingException e) {
            return CatalogEntry.unreadable(id, "backup.json does not parse: " + e.getOriginalMessage()
                    + " (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        } catch (IOException e) {
            return CatalogEntry.unreadable(id, "backup.json cannot be read: " + e.getMessage());
        }
    }

    /**
     * A backup taken with pg_basebackup --incremental is seen as such however it came into the
     * archive, so nothing restores, verifies or counts it as a full backup.
     */
    private static BackupRecord asFound(Path dir, BackupRecord r, Path walArchive) {
        if (!r.status().usable()) {
            return r;
        }
        return IncrementalBackup.inBackup(dir, r, walArchive).map(i -> r.withStatus(BackupStatus.INCREMENTAL, i.describe())).orElse(r);
    }

    /** Writes a record atomically (temp file, fsync, rename) into its backup directory. */
    public void save(BackupRecord record) {
        try {
            AtomicFiles.write(layout.backupJson(record.id()), json.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new PitrException("could not write backup.json for " + record.id() + ": " + e.getMessage(),
                    "check free space and permissions in " + layout.root());
        }
    }

    /** Rewrites backup_metadata.json from the backup.json files. */
    public void refreshLegacyMetadata() {
        try {
            AtomicFiles.write(layout.legacyMetadata(), json.writeValueAsBytes(LegacyMetadata.of(records())));
        } catch (IOException e) {
            throw new PitrException("could not write " + layout.legacyMetadata() + ": " + e.getMessage(),
                    "check free space and permissions in " + layout.root());
        }
    }
}

package io.pitrconsole.archive;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.InOrder;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes the backup records (backup.json) of a repository and keeps the derived
 * backup_metadata.json (the original scripts' format) in step with them.
 */
public final class BackupCatalog {
    private static final Logger LOG = LoggerFactory.getLogger(BackupCatalog.class);
    private final Repository repository;
    private final BackupStore store;
    private final ObjectMapper json = Json.mapper();

    public BackupCatalog(Repository repository) {
        this.repository = repository;
        this.store = repository.backups();
    }

    /** The repository whose backups this is the catalog of. */
    public Repository repository() {
        return repository;
    }

    /** All backups, newest first; unreadable ones included with their problem. */
    public List<CatalogEntry> entries() {
        long t0 = System.nanoTime();
        repository.requireReadable();
        List<CatalogEntry> result = new ArrayList<>();
        List<String> ids;
        try {
            ids = store.ids();
        } catch (IOException e) {
            throw new PitrException("cannot list archive directory " + repository.location() + ": " + e.getMessage(),
                    "check that this user may read the archive directory");
        }
        // the listing just named them: asking whether each exists (from a bucket, a listing per backup) is left for a record not found
        result.addAll(InOrder.map(ids, store.recordReaders(), "catalog-read", "reading the backup catalog of " + repository.location(),
                id -> read(id, true)));
        result.sort(Comparator.comparing(CatalogEntry::id).reversed());
        LOG.debug("backup catalog: {} record(s) read in {} ms", result.size(), (System.nanoTime() - t0) / 1_000_000);
        return result;
    }

    /** Readable backup records, newest first. */
    public List<BackupRecord> records() {
        return entries().stream().flatMap(e -> e.record().stream()).toList();
    }

    /** The record of one backup; a clear error when the id is unknown or its file is damaged. */
    public BackupRecord get(String id) {
        return recordOf(read(id));
    }

    private BackupRecord recordOf(CatalogEntry e) {
        if (e.problem().isPresent()) {
            throw new PitrException("backup " + e.id() + ": " + e.problem().get(),
                    "fix or restore " + store.where(e.id()) + "/" + BackupStore.RECORD + " by hand (it was left unchanged), or delete the backup");
        }
        return e.record().orElseThrow();
    }

    /**
     * Every backup's entry, read now once for a command that needs them more than once: from a bucket each read of the
     * catalog is a listing and requests per backup.
     */
    public Snapshot snapshot() {
        return new Snapshot(entries());
    }

    /** The catalog as it was read once; what it says of a backup does not change with the archive. */
    public final class Snapshot {
        private final List<CatalogEntry> entries;

        private Snapshot(List<CatalogEntry> entries) {
            this.entries = List.copyOf(entries);
        }

        /** All backups as read, newest first; unreadable ones included with their problem. */
        public List<CatalogEntry> entries() {
            return entries;
        }

        /** Readable backup records as read, newest first. */
        public List<BackupRecord> records() {
            return entries.stream().flatMap(e -> e.record().stream()).toList();
        }

        /** The record of one backup as read, with the errors of {@link BackupCatalog#get(String)}. */
        public BackupRecord get(String id) {
            return recordOf(entries.stream().filter(e -> e.id().equals(id)).findFirst().orElseThrow(() -> unknown(id)));
        }
    }

    /** Whether the repository holds a backup of that id, with or without a readable record. */
    public boolean exists(String id) {
        return store.exists(id);
    }

    private PitrException unknown(String id) {
        return new PitrException("no backup " + id + " in " + repository.location(),
                Hint.of("'backup list --archive " + repository.location() + "' shows the backups there", "the Backups page lists the backups there"));
    }

    private CatalogEntry read(String id) {
        return read(id, false);
    }

    private CatalogEntry read(String id, boolean listed) {
        if (!listed && !store.exists(id)) {
            throw unknown(id);
        }
        try {
            Optional<byte[]> document = store.readRecord(id);
            if (document.isEmpty()) {
                if (listed && !store.exists(id)) {
                    throw unknown(id);
                }
                return CatalogEntry.unreadable(id, "backup.json is missing");
            }
            BackupRecord r = json.readValue(document.get(), BackupRecord.class);
            if (r.id() == null || !r.id().equals(id) || r.status() == null) {
                return CatalogEntry.unreadable(id, "backup.json does not describe " + id + " (id or status missing or different)");
            }
            return CatalogEntry.ok(asFound(r));
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
    private BackupRecord asFound(BackupRecord r) {
        if (!r.status().usable()) {
            return r;
        }
        return IncrementalBackup.inBackup(repository, r).map(i -> r.withStatus(BackupStatus.INCREMENTAL, i.describe())).orElse(r);
    }

    /** Writes a record atomically (temp file, fsync, rename) into its backup directory. */
    public void save(BackupRecord record) {
        try {
            store.writeRecord(record.id(), json.writeValueAsBytes(record));
        } catch (IOException e) {
            throw new PitrException("could not write backup.json for " + record.id() + ": " + e.getMessage(),
                    "check free space and permissions in " + repository.location());
        }
    }

    /** Rewrites backup_metadata.json from the backup.json files. */
    public void refreshLegacyMetadata() {
        try {
            repository.write(RepositoryDocument.BACKUP_LIST, json.writeValueAsBytes(LegacyMetadata.of(records())));
        } catch (IOException e) {
            throw new PitrException("could not write " + repository.where(RepositoryDocument.BACKUP_LIST) + ": " + e.getMessage(),
                    "check free space and permissions in " + repository.location());
        }
    }
}

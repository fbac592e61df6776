package io.pitrconsole.repository;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Where one cluster's backups and WAL live: a local directory today, object storage or a
 * pgBackRest stanza later. Services reach backups and WAL only through this; only an
 * implementation knows how and where the bytes are stored.
 */
public interface Repository {

    /** The location as the user named it (a directory, later a URI); for messages and hints. */
    RepositoryLocation location();

    /** The WAL archive: segments, .history and .backup files. */
    WalStore wal();

    /** The backup catalog and each backup's files. */
    BackupStore backups();

    /**
     * A directory on this machine for the repository's caches (WAL index) and saved restore
     * reports. Never inside an object store; for a local directory it is the archive's own .pitr/.
     */
    Path localCache();

    /**
     * A directory on this machine where plain copies of the repository's files may wait while a use
     * case runs (WAL a restore's planning fetched, kept for its check): the local cache, unless the
     * repository's files are encrypted, whose plain bytes stay out of the repository, in a directory
     * private to this user.
     */
    default Path workDir() {
        return localCache();
    }

    /** Fails with a hint unless the repository exists and can be read. */
    void requireReadable();

    /** Fails with a hint unless the repository exists and can be written. */
    void requireWritable();

    /** Takes the repository's lock for a use, or fails naming who holds a conflicting one and what to do. */
    RepositoryLock lock(LockUse use, String operation);

    /** Who holds the repository's lock now; a process that ended holds nothing, however it ended. */
    List<LockHolder> holders();

    /** Temporary files that killed writers left in the repository, oldest first; each one safe to remove. */
    List<LeftoverFile> leftovers(Instant now);

    /** Removes a left-over temporary file named by {@link LeftoverFile#name()}; nothing when it is gone already. */
    void removeLeftover(String name) throws IOException;

    /** A document as stored; empty when the repository has none yet. */
    Optional<byte[]> read(RepositoryDocument document) throws IOException;

    /** Replaces a document atomically: a reader sees the old one or the new one, never part of one. */
    void write(RepositoryDocument document, byte[] content) throws IOException;

    /**
     * Reads, changes and writes a document as one step: two processes updating it at once never lose
     * each other's change. Not the repository lock, which a backup may hold for hours. Returns what was written.
     */
    byte[] update(RepositoryDocument document, Function<Optional<byte[]>, byte[]> change) throws IOException;

    /** Where a document is, as a user finds it; for messages and hints. */
    String where(RepositoryDocument document);

    /**
     * How this kind puts a backup into a data directory itself; empty (the default) when the
     * restore extracts the backup's tar files from {@link #backups()}.
     */
    default Optional<BackupPlacement> placement() {
        return Optional.empty();
    }

    /** The kind's own backup program (pgBackRest); empty (the default) when the console takes backups with pg_basebackup. */
    default Optional<BackupTool> backupTool() {
        return Optional.empty();
    }

    /**
     * What the program that keeps this repository says about it (pgBackRest's stanza status, its
     * lock, sets taken with errors), as findings beside the console's own; empty for kinds the
     * console keeps itself.
     */
    default List<io.pitrconsole.core.Finding> ownStatus() {
        return List.of();
    }
}

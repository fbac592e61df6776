package io.pitrconsole.repository;

import java.nio.file.Path;

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
}

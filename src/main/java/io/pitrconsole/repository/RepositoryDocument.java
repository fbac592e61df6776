package io.pitrconsole.repository;

/** The small documents a repository keeps beside its backups; each is written whole and atomically. */
public enum RepositoryDocument {
    /** The backup schedule and retention policy (backup_schedule.json). */
    SCHEDULE,
    /** The list of backups in the original scripts' format (backup_metadata.json), derived from the records. */
    BACKUP_LIST,
    /** Timelines abandoned by rolling back an in-place restore. */
    ABANDONED_TIMELINES,
    /** Whether the repository is encrypted, and to which keys: recipients and fingerprints, never a key (encryption.json). */
    ENCRYPTION
}

package io.pitrconsole.repository;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

/**
 * The backups of a repository: each one's record document (backup.json, parsed above this by the
 * catalog) and its files (tar members, manifest). Bytes and names only; what they mean is not known here.
 */
public interface BackupStore {

    /** The record document every backup keeps beside its files. */
    String RECORD = "backup.json";

    /** How many records the catalog may read at once: one, unless each read waits on a remote service. */
    default int recordReaders() {
        return 1;
    }

    /** The ids of all backups present, finished or not, in no particular order. */
    List<String> ids() throws IOException;

    /** Whether a backup with this id is present (with or without a readable record). */
    boolean exists(String id);

    /** The backup's record document as stored; empty when the backup has none. */
    Optional<byte[]> readRecord(String id) throws IOException;

    /** Replaces the backup's record atomically: a reader sees the old document or the new one, never part of one. */
    void writeRecord(String id, byte[] document) throws IOException;

    /** Removes the backup with all its files. */
    void delete(String id) throws IOException;

    /** The bytes the backup takes in the repository, its record included. */
    long size(String id) throws IOException;

    /** The bytes one of the backup's files takes in the repository. */
    long size(String id, String file) throws IOException;

    /** The names of the backup's own files (base.tar.gz, backup_manifest, ...), its record not included, sorted. */
    List<String> files(String id) throws IOException;

    /** Opens one of the backup's files for reading; NoSuchFileException when it has no such file. */
    InputStream open(String id, String file) throws IOException;

    /**
     * Opens one of the backup's files for reading its first {@code bytes} bytes as stored: a store that can send
     * part of a file sends about that much instead of the whole; others open it whole (the default).
     */
    default InputStream openHead(String id, String file, int bytes) throws IOException {
        return open(id, file);
    }

    /**
     * The file itself on this machine when the repository keeps it in a local file system, so that
     * readers that need random access or the server's OS user can use it in place; else empty.
     */
    Optional<Path> localFile(String id, String file);

    /**
     * Replaces one of the backup's files with new content as one step, for a key change that
     * re-encrypts it: a reader sees the old file or the new one, never part of one, and a writer
     * killed midway leaves the old one. NoSuchFileException when the backup has no such file; a
     * PitrException with a hint for a kind that cannot (the default).
     */
    default void replace(String id, String file, InputStream content) throws IOException {
        throw new io.pitrconsole.core.PitrException("the files of backup " + id + " (" + where(id) + ") cannot be replaced by the console",
                "a key change re-encrypts the files of a local directory or S3 repository only");
    }

    /** Where the backup is, as a user finds it (a directory, later a URI); for messages and hints. */
    String where(String id);

    /** A fresh backup id from the given local time; a later second when the name is taken. */
    String newId(LocalDateTime now);

    /**
     * Starts a new backup: the backup is present (with no files yet) from now on, and pg_basebackup
     * writes into {@link NewBackup#incoming()}; nothing there counts as the backup's files until
     * {@link NewBackup#commit}.
     */
    NewBackup create(String id) throws IOException;

    /**
     * Starts a new backup as {@link #create} does, but stores each file only as {@code sealing} turns it
     * (an encryption), sealing it while pg_basebackup still writes: the plain bytes stay in
     * {@link NewBackup#incoming()}, a private directory on this machine, only until they are sent.
     * Empty when this store cannot; the caller then seals the files itself before they come here.
     */
    default Optional<NewBackup> createSealed(String id, Sealing sealing) throws IOException {
        return Optional.empty();
    }

    /** What a store passes a backup file's bytes through on their way in (an encryption). */
    interface Sealing {
        /** A stream whose bytes, sealed, go to {@code stored}; closing it ends the sealed file, failing if the sealing did. */
        java.io.OutputStream seal(java.io.OutputStream stored) throws IOException;
    }

    /** Backups that a process left unfinished: present with files still incoming. */
    boolean hasIncoming(String id);

    /** Removes a backup's files (also any still incoming), keeping its record: a failed backup stays listed. */
    void discardFiles(String id) throws IOException;

    /** The bytes a new backup can still take here; empty when the repository cannot tell. */
    java.util.OptionalLong usableSpace() throws IOException;

    /** The file system the backups are kept on, when it is one of this machine's; else empty (a bucket). */
    default Optional<java.nio.file.FileStore> fileStore() throws IOException {
        return Optional.empty();
    }

    /**
     * Where a new backup first lands whole on this machine before this store takes it (an encrypted
     * directory repository's private staging directory), with the bytes free there; empty when it
     * is written into the store itself.
     */
    default Optional<Staging> staging() throws IOException {
        return Optional.empty();
    }

    /**
     * A staging directory and the bytes free on its file system; {@code sharedWithStore} when that
     * file system is the store's, so a new backup needs its room twice there.
     */
    record Staging(java.nio.file.Path directory, long usable, boolean sharedWithStore) {
    }

    /** The program that writes a new backup, as a store that copies while it writes may steer it. */
    interface Writer {
        /** Ends it: the copy failed, so the backup cannot be completed. */
        void stop();

        /** Holds it until {@link #resume()}: it blocks on what it would write, and its server waits. */
        void pause();

        /** Lets it go on. */
        void resume();
    }

    /** A backup being written. */
    interface NewBackup {
        String id();

        /** A local directory pg_basebackup writes into. */
        Path incoming();

        /**
         * Makes what was written the backup's files, all at once as far as a reader of the catalog can tell; returns their names.
         * A store that copies the files elsewhere (a bucket) stops when cancelled, leaving nothing of the copy behind.
         */
        List<String> commit(io.pitrconsole.core.Cancellation cancellation) throws IOException;

        /**
         * The writer (pg_basebackup) has started; a store that copies the files while they are written
         * holds the writer while the copy catches up, and stops it when the copy fails.
         */
        default void writing(Writer writer) {
        }

        /**
         * The backup will not be committed: stops any copy under way and drops what it stored. Returns the
         * copy's own failure when that is what ended the backup (the writer was stopped because of it).
         */
        default Optional<RuntimeException> abandon() {
            return Optional.empty();
        }
    }
}

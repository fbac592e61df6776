package io.pitrconsole.repository;

import io.pitrconsole.pg.ServerShell;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The WAL archive of a repository: what the server's archive_command put there, listed and read.
 * Also what only the kind of archive knows about the server's side: the restore_command that
 * fetches WAL back, and whether the server's OS user can read and write the archive.
 */
public interface WalStore {

    /**
     * Every file in the archive, by name; empty when nothing was archived yet. Files a running
     * archive_command is still writing are not listed. Throws PitrException (with a hint) when
     * the archive cannot be listed.
     */
    List<WalFile> list();

    /** Opens one file for reading; NoSuchFileException when it is not there. */
    InputStream open(String name) throws IOException;

    /**
     * Opens one file for reading its first {@code bytes} bytes as stored (compressed, when it is): a store that
     * can send part of a file sends about that much instead of the whole; others open it whole (the default).
     */
    default InputStream openHead(String name, int bytes) throws IOException {
        return open(name);
    }

    /**
     * Where the file is on this machine, when the archive keeps it so: readers map it instead of
     * streaming it. Empty for archives elsewhere. Not a check that the file exists.
     */
    default Optional<Path> localFile(String name) {
        return Optional.empty();
    }

    /**
     * Whether {@link #open} hands back exactly the bytes a listed {@link WalFile#size()} counts; false
     * for an archive that transforms them on the way (decrypts), where a listed size is what the file
     * takes in the archive, not its content's length.
     */
    default boolean listsContentSizes() {
        return true;
    }

    /**
     * Stores a file under a name. A file is never overwritten with different content: an
     * identical one already there counts as stored, a different one is a PitrException.
     */
    void put(String name, InputStream content) throws IOException;

    /**
     * Replaces a stored file with new content as one step, for a key change that re-encrypts it: a
     * reader sees the old file or the new one, never part of one, and a writer killed midway leaves
     * the old one (and at most a temporary file that the listing skips). NoSuchFileException when
     * the name is not stored; a PitrException with a hint for a kind that cannot (the default).
     */
    default void replace(String name, InputStream content) throws IOException {
        throw new io.pitrconsole.core.PitrException("the files of " + describe() + " cannot be replaced by the console",
                "a key change re-encrypts the files of a local directory or S3 repository only");
    }

    /** Removes a file (cleanup); false when it was not there. */
    boolean delete(String name) throws IOException;

    /**
     * Whether the archive holds nothing stored under this name or a longer one (plain, compressed,
     * encrypted) right now, asked of the archive itself rather than of an index; false when it
     * cannot tell cheaply, or when the answer would not save the server anything (a directory here).
     */
    default boolean surelyAbsent(String name) {
        return false;
    }

    /** Where the archive is, for messages and hints (a directory, later a URI). */
    String describe();

    /** The archive_command that stores the server's WAL here. */
    ArchiveCommand archiveCommand();

    /**
     * The restore_command the server runs to fetch each WAL file from this archive; with
     * {@code staged}, a copy already fetched into that directory ahead of the server is taken first.
     * Throws PitrException (with a hint) when this archive cannot go into one safely.
     */
    String restoreCommand(Optional<Path> staged);

    /**
     * The restore_command for an encrypted archive: as {@link #restoreCommand(Optional)}, decrypting
     * each file from the archive on the server's host (a staged copy is already plain). A PitrException
     * with a hint for a kind that cannot (the default).
     */
    default String restoreCommand(Optional<Path> staged, ServerEncryption encryption) {
        throw new io.pitrconsole.core.PitrException("this kind of repository cannot be encrypted by the console", ServerEncryption.UNSUPPORTED);
    }

    /**
     * What that restore_command needs to hand back these archived files (by name, as listed)
     * uncompressed; the console's own scripts run gzip or zstd from the server's PATH.
     */
    default RestoreDecompression restoreDecompression(List<String> names) {
        return RestoreDecompression.byOwnScript(names);
    }

    /**
     * Fails with a PitrException (and a hint) unless the server's OS user can read the archive and
     * each of {@code names}: to the server's restore_command an unreadable file is a missing one.
     */
    void checkServerCanRead(ServerShell shell, List<String> names);

    /** Fails with a PitrException (and a hint) unless the server's OS user can create files in the archive (archive_command). */
    void checkServerCanWrite(ServerShell shell);
}

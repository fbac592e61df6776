package io.pitrconsole.repository;

import io.pitrconsole.core.PitrException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How the server's archive_command stores WAL in a repository: set up by the console, run by the
 * server for every segment. Each kind of repository has its own.
 */
public interface ArchiveCommand {

    /** The archive_command setting that runs it. */
    String setting();

    /** Where its script is installed, as the server's OS user finds it. */
    Path script();

    /** The script's text for a compression label (none, gzip or zstd). */
    String render(String compression);

    /**
     * Installs the script for a compression; returns the WAL directory it had to create, which the
     * server's OS user must then own, when it created one.
     */
    Optional<Path> install(String compression);

    /** Whether the installed script is there and can be run. */
    boolean installed();

    /**
     * Whether archive_command runs a script the console writes and installs; false when it runs
     * another program as it is (pgBackRest's archive-push), so there is nothing to install.
     */
    default boolean ownScript() {
        return true;
    }

    /**
     * The same command, encrypting each file on the server's host before it is stored; a
     * PitrException with a hint for a kind that cannot (the default).
     */
    default ArchiveCommand encrypting(ServerEncryption encryption) {
        throw new PitrException("this kind of repository cannot be encrypted by the console", ServerEncryption.UNSUPPORTED);
    }
}

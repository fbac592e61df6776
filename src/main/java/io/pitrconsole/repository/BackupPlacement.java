package io.pitrconsole.repository;

import io.pitrconsole.core.Cancellation;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * How a repository kind puts one of its backups into a data directory itself, where the console
 * cannot extract the backup's files (a pgBackRest set, restored by pgBackRest). Kinds whose
 * backups are tar files (a directory, a bucket) have none: the restore extracts those tars
 * from the {@link BackupStore}. Only the backup's files are placed; recovery settings, the start
 * and the checks stay the restore's, one way for every kind.
 */
public interface BackupPlacement {

    /**
     * Puts the backup's files into {@code dataDir}, which exists, is empty and belongs to the
     * server's OS user; tablespaces go into directories under {@code tablespaceRoot}, never where
     * they were on the backed-up server. Lines the placing program logs go to {@code log}.
     */
    Placed place(String backupId, Path dataDir, Path tablespaceRoot, Consumer<String> log, Cancellation cancel);

    /** Whether this placement can restore into the data directory of the cluster itself (in place). */
    boolean inPlace();

    /** What was placed: files and bytes in the data directory and its tablespaces, and by what, in words. */
    record Placed(long files, long bytes, String how) {
    }
}

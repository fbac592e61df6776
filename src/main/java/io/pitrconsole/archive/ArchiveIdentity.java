package io.pitrconsole.archive;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.Repository;
import java.util.List;
import java.util.Optional;

/**
 * The database system an archive belongs to: the system identifier its backups were taken from.
 * WAL of another system cannot be replayed onto them ("WAL file is from different database
 * system"), so an archive holds one system, as pgBackRest's stanza and Barman's server do.
 */
public final class ArchiveIdentity {
    private ArchiveIdentity() {
    }

    /** The system identifier of the archive's backups; empty for an archive without any. */
    public static Optional<String> of(List<BackupRecord> records) {
        return records.stream().filter(r -> r.systemIdentifier() != null && !r.systemIdentifier().isBlank())
                .sorted(java.util.Comparator.comparing(BackupRecord::startTime, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder())))
                .map(BackupRecord::systemIdentifier).findFirst();
    }

    /** Refuses a server of another database system than the archive's, before anything is written. */
    public static void requireSameSystem(Repository repository, List<BackupRecord> records, String serverSystem, String server) {
        Optional<String> archive = of(records);
        if (archive.isPresent() && !archive.get().equals(serverSystem)) {
            throw new PitrException("the archive " + repository.location() + " belongs to database system " + archive.get()
                    + ", but the server " + server + " is database system " + serverSystem,
                    Hint.of("an archive holds the backups and WAL of one cluster: check -h/-p (is this the right server?),"
                            + " or give this server an archive of its own with --archive",
                            "an archive holds the backups and WAL of one cluster: check the profile's host and port under Settings"
                                    + " (is this the right server?), or give this server a profile with an archive of its own"));
        }
    }
}

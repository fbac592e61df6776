package io.pitrconsole.recovery;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Path;

/**
 * The WAL archive directory of a local repository, which restores still read in place (the
 * server's restore_command copies from it, WAL is read ahead from it) until the WAL store offers
 * segments to them; any other kind of repository is refused here with a hint.
 */
final class LocalArchive {
    private LocalArchive() {
    }

    /** The directory layout of the repository; a clear error for a repository that is not a local directory. */
    @SuppressWarnings("deprecation")
    static ArchiveLayout of(Repository repository) {
        return LocalDirectoryRepository.layoutOf(repository).orElseThrow(() -> new PitrException(
                "restores read WAL only from a local archive directory, not from " + repository.location(),
                Hint.of("pass a local archive directory with --archive DIR", "choose a local archive directory for the profile under Settings")));
    }

    /** wal_archive/ of the repository. */
    static Path walArchive(Repository repository) {
        return of(repository).walArchive();
    }
}

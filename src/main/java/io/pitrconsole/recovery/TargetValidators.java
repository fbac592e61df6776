package io.pitrconsole.recovery;

import io.pitrconsole.repository.Repository;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;

/** Chooses how targets are checked for an archive: against recovery windows of the indexed WAL. */
final class TargetValidators {
    private TargetValidators() {
    }

    static TargetValidator forArchive(Repository repository, ProgressListener progress, Cancellation cancel) {
        return new WindowTargetValidator(repository, new WindowService(repository).windows(progress, cancel), progress, cancel);
    }
}

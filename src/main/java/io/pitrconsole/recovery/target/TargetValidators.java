package io.pitrconsole.recovery.target;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.Repository;

/** Chooses how targets are checked for an archive: against recovery windows of the indexed WAL. */
public final class TargetValidators {
    private TargetValidators() {
    }

    public static TargetValidator forArchive(Repository repository, ProgressListener progress, Cancellation cancel) {
        return new WindowTargetValidator(repository, new WindowService(repository).windows(progress, cancel), progress, cancel);
    }
}

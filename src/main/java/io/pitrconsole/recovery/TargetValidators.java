package io.pitrconsole.recovery;

import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;

/** Chooses how targets are checked for an archive: against recovery windows of the indexed WAL. */
final class TargetValidators {
    private TargetValidators() {
    }

    static TargetValidator forArchive(ArchiveLayout layout, ProgressListener progress, Cancellation cancel) {
        return new WindowTargetValidator(layout, new WindowService(layout).windows(progress, cancel), progress, cancel);
    }
}

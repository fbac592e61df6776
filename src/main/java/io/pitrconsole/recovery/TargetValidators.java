package io.pitrconsole.recovery;

import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;

/** Chooses how targets are checked for an archive. */
final class TargetValidators {
    private TargetValidators() {
    }

    static TargetValidator forArchive(ArchiveLayout layout, ProgressListener progress, Cancellation cancel) {
        return new TargetValidator(layout);
    }
}

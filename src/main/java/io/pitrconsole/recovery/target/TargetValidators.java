package io.pitrconsole.recovery.target;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.wal.WalCopies;

/** Chooses how targets are checked for an archive: against recovery windows of the indexed WAL. */
public final class TargetValidators {
    private TargetValidators() {
    }

    public static TargetValidator forArchive(Repository repository, ProgressListener progress, Cancellation cancel) {
        return new WindowTargetValidator(repository, new WindowService(repository).windows(progress, cancel), progress, cancel);
    }

    /**
     * For planning a restore to target: the windows of the WAL from the oldest usable backup on,
     * except for a restore point, which is looked up by name in the whole archive (so that one made
     * before every backup is refused as such, not as unknown).
     */
    public static TargetValidator forRestore(Repository repository, RecoveryTarget target, ProgressListener progress, Cancellation cancel) {
        return forRestore(repository, target, WalCopies.none(), progress, cancel);
    }

    /** Like {@link #forRestore(Repository, RecoveryTarget, ProgressListener, Cancellation)}, keeping whole copies of WAL fetched from elsewhere in {@code copies}. */
    public static TargetValidator forRestore(Repository repository, RecoveryTarget target, WalCopies copies, ProgressListener progress,
                                             Cancellation cancel) {
        WindowService windows = new WindowService(repository);
        return new WindowTargetValidator(repository, target.kind() == RecoveryTarget.Kind.NAME ? windows.windows(progress, cancel)
                : windows.restoreWindows(copies, progress, cancel), progress, cancel);
    }
}

package io.pitrconsole.recovery.target;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.recovery.window.WindowService;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.wal.WalCopies;
import java.util.List;
import java.util.function.Supplier;

/** Chooses how targets are checked for an archive: against recovery windows of the indexed WAL. */
public final class TargetValidators {
    private TargetValidators() {
    }

    public static TargetValidator forArchive(Repository repository, ProgressListener progress, Cancellation cancel) {
        return new WindowTargetValidator(repository, new WindowService(repository).windows(progress, cancel), progress, cancel);
    }

    /**
     * For planning a restore to target, over the backup records the caller read (from a bucket each read of the catalog is a
     * listing and requests per backup), keeping whole copies of WAL fetched from elsewhere in {@code copies}. A restore point
     * is looked up by name in the whole archive (so that one made before every backup is refused as such, not as unknown); a
     * transaction id in the WAL from the oldest usable backup on; any other target is first planned over the WAL from the
     * newest usable backup's start on, which is all a restore to the latest WAL, or to a moment after that backup, replays,
     * and the WAL from the oldest usable backup on is indexed only when that cannot settle it.
     */
    public static TargetValidator forRestore(Repository repository, RecoveryTarget target, List<BackupRecord> records, WalCopies copies,
                                             ProgressListener progress, Cancellation cancel) {
        WindowService windows = new WindowService(repository);
        if (target.kind() == RecoveryTarget.Kind.NAME) {
            return new WindowTargetValidator(repository, windows.windows(records, progress, cancel), progress, cancel);
        }
        if (target.kind() == RecoveryTarget.Kind.XID) {
            return new WindowTargetValidator(repository, windows.restoreWindows(records, copies, progress, cancel), progress, cancel);
        }
        Supplier<TargetValidator> fromOldest = () -> new WindowTargetValidator(repository, windows.restoreWindows(records, copies, progress,
                cancel), progress, cancel);
        List<Lsn> starts = records.stream()
                .filter(b -> b.status() != null && b.status().usable() && b.startLsn() != null).map(BackupRecord::startLsn).sorted().toList();
        if (starts.isEmpty() || starts.get(0).equals(starts.get(starts.size() - 1))) {
            return fromOldest.get();
        }
        RecoveryWindows newest = windows.restoreWindowsFrom(records, starts.get(starts.size() - 1), copies, progress, cancel);
        return new NewestBackupFirstValidator(repository, newest, new WindowTargetValidator(repository, newest, progress, cancel), fromOldest);
    }
}

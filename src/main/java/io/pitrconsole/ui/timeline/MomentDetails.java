package io.pitrconsole.ui.timeline;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.recovery.plan.WalNeed;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What restoring to a clicked moment takes: the window that reaches it (and so the backup, the
 * newest that reaches it) and the WAL replayed from that backup to it; or, when no window reaches
 * it, the nearest restorable moments.
 */
public record MomentDetails(Instant time, int timeline, Optional<RecoveryWindow> window, Optional<BackupRecord> backup,
                            Optional<WalNeed> wal, List<Instant> nearestRestorable) {

    public boolean restorable() {
        return window.isPresent();
    }

    /** Looks the moment up in the windows; backups are the catalog's records. */
    public static MomentDetails of(RecoveryWindows windows, List<BackupRecord> backups, Instant t, int timeline) {
        Optional<RecoveryWindow> w = windows.reaching(t, OptionalInt.of(timeline));
        if (w.isEmpty()) {
            return new MomentDetails(t, timeline, Optional.empty(), Optional.empty(), Optional.empty(), windows.nearestRestorable(t));
        }
        Optional<BackupRecord> b = backups.stream().filter(r -> r.id().equals(w.get().backupId())).findFirst();
        Optional<WalNeed> need = b.map(r -> WalNeed.of(windows.index(), r, timeline, t));
        return new MomentDetails(t, timeline, w, b, need, List.of(t));
    }
}

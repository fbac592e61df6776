package io.pitrconsole.recovery;

import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.wal.WalArchiveIndex;
import java.time.Clock;

/** Answers "what can I restore to?" and "how is the WAL archive doing?" for one archive directory. */
public final class WindowService {
    private final ArchiveLayout layout;
    private final Clock clock;

    public WindowService(ArchiveLayout layout) {
        this(layout, Clock.systemUTC());
    }

    public WindowService(ArchiveLayout layout, Clock clock) {
        this.layout = layout;
        this.clock = clock;
    }

    /** Indexes the WAL archive (incrementally) and computes every backup's recovery windows. */
    public RecoveryWindows windows(ProgressListener progress, Cancellation cancel) {
        layout.requireReadable();
        var backups = new BackupCatalog(layout).records();
        return RecoveryWindows.compute(backups, WalArchiveIndex.load(layout, progress, cancel));
    }

    /** Indexes the WAL archive (incrementally) and summarises it, RPO included. */
    public WalStatus walStatus(ProgressListener progress, Cancellation cancel) {
        layout.requireReadable();
        return WalStatus.of(WalArchiveIndex.load(layout, progress, cancel), clock.instant());
    }
}

package io.pitrconsole.recovery.window;

import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.archive.ArchiveIdentity;
import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.wal.WalArchiveIndex;
import io.pitrconsole.wal.WalCopies;
import io.pitrconsole.wal.WalSegmentReader;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Answers "what can I restore to?" and "how is the WAL archive doing?" for one repository. */
public final class WindowService {
    private static final Logger LOG = LoggerFactory.getLogger(WindowService.class);
    private final Repository repository;
    private final Clock clock;

    public WindowService(Repository repository) {
        this(repository, Clock.systemUTC());
    }

    public WindowService(Repository repository, Clock clock) {
        this.repository = repository;
        this.clock = clock;
    }

    /** Indexes the WAL archive (incrementally) and computes every backup's recovery windows. */
    public RecoveryWindows windows(ProgressListener progress, Cancellation cancel) {
        repository.requireReadable();
        return windows(new BackupCatalog(repository).records(), progress, cancel);
    }

    /** Like {@link #windows(ProgressListener, Cancellation)}, for the backup records already read. */
    public RecoveryWindows windows(List<BackupRecord> backups, ProgressListener progress, Cancellation cancel) {
        return windows(backups, Optional.empty(), WalCopies.none(), progress, cancel);
    }

    /**
     * Like {@link #windows}, with only the WAL a restore can replay indexed: from the oldest usable
     * backup's start on. Each window is the same; what the archive holds before it (its gaps and
     * restore points) is not looked at, so the first run on a machine reads no older WAL.
     */
    public RecoveryWindows restoreWindows(ProgressListener progress, Cancellation cancel) {
        return restoreWindows(WalCopies.none(), progress, cancel);
    }

    /** Like {@link #restoreWindows(ProgressListener, Cancellation)}; WAL fetched from elsewhere to be read is kept whole in {@code copies}. */
    public RecoveryWindows restoreWindows(WalCopies copies, ProgressListener progress, Cancellation cancel) {
        repository.requireReadable();
        return restoreWindows(new BackupCatalog(repository).records(), copies, progress, cancel);
    }

    /** Like {@link #restoreWindows(WalCopies, ProgressListener, Cancellation)}, for the backup records already read. */
    public RecoveryWindows restoreWindows(List<BackupRecord> backups, WalCopies copies, ProgressListener progress, Cancellation cancel) {
        Optional<Lsn> from = backups.stream().filter(b -> b.status() != null && b.status().usable() && b.startLsn() != null)
                .map(BackupRecord::startLsn).min(Comparator.naturalOrder());
        return windows(backups, from, copies, progress, cancel);
    }

    /**
     * The windows of only the backups (of all, the archive's records) that start at or after from, over only the WAL from there on:
     * each of their windows is the one the whole archive gives, and the WAL before them is not read.
     * The windows of older backups are not in it at all, not even as unrestorable.
     */
    public RecoveryWindows restoreWindowsFrom(List<BackupRecord> all, Lsn from, WalCopies copies, ProgressListener progress,
                                              Cancellation cancel) {
        var backups = all.stream().filter(b -> b.startLsn() != null && b.startLsn().compareTo(from) >= 0).toList();
        return windows(backups, Optional.of(from), copies, progress, cancel);
    }

    private RecoveryWindows windows(List<BackupRecord> backups, Optional<Lsn> from, WalCopies copies, ProgressListener progress,
                                    Cancellation cancel) {
        long t0 = System.nanoTime();
        WalArchiveIndex index = WalArchiveIndex.loadFrom(repository, from, copies, progress, cancel);
        long t1 = System.nanoTime();
        RecoveryWindows windows = RecoveryWindows.compute(backups, index, AbandonedTimelines.load(repository));
        long t2 = System.nanoTime();
        LOG.debug("WAL index of {} segments{} loaded in {} ms ({} read), windows of {} backups computed in {} ms",
                index.segments().size(), from.map(l -> " (from " + l + " on)").orElse(""), String.format("%.1f", (t1 - t0) / 1e6),
                index.segmentsRead(), backups.size(), String.format("%.3f", (t2 - t1) / 1e6));
        return windows;
    }

    /** Indexes the WAL archive (incrementally) and summarises it, RPO included. */
    public WalStatus walStatus(ProgressListener progress, Cancellation cancel) {
        return walStatus(WalSegmentReader.Checks.INDEX, progress, cancel);
    }

    /** Like {@link #walStatus(ProgressListener, Cancellation)}; FULL reads every segment again and checks every record's CRC. */
    public WalStatus walStatus(WalSegmentReader.Checks checks, ProgressListener progress, Cancellation cancel) {
        repository.requireReadable();
        WalArchiveIndex index = WalArchiveIndex.load(repository, checks, progress, cancel);
        return WalStatus.of(index, AbandonedTimelines.load(repository), clock.instant())
                .withForeignSegments(ArchiveIdentity.of(new BackupCatalog(repository).records()), index.segments());
    }
}

package io.pitrconsole.recovery.target;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.repository.Repository;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Plans over the windows of the WAL from the newest usable backup's start on, which is all a restore
 * from that backup replays, and hands the target to the windows of the WAL from the oldest usable
 * backup on whenever those cannot show that the whole archive's answer is the same one: a refusal
 * (worded by the whole archive), a target before the newest backup, another backup chosen, an older
 * backup starting where the newest one does, backups of several database systems, or a timeline of
 * the archive the newest backup has no window on (its notes about other timelines come from older
 * backups' windows). On a timeline both reach, an older backup's WAL runs through the same segments
 * after the newer backup's start, so its window cannot end later: the newest window that reaches a
 * time or a location is the whole archive's choice.
 */
final class NewestBackupFirstValidator extends TargetValidator {
    private static final Logger LOG = LoggerFactory.getLogger(NewestBackupFirstValidator.class);

    private final RecoveryWindows newestWindows;
    private final WindowTargetValidator newest;
    private final Supplier<TargetValidator> fromOldest;
    private TargetValidator oldest;

    NewestBackupFirstValidator(Repository repository, RecoveryWindows newestWindows, WindowTargetValidator newest,
                               Supplier<TargetValidator> fromOldest) {
        super(repository);
        this.newestWindows = newestWindows;
        this.newest = newest;
        this.fromOldest = fromOldest;
    }

    @Override
    public Choice choose(RecoveryTarget target, List<BackupRecord> usableNewestFirst) {
        if (settles(target, usableNewestFirst)) {
            try {
                Choice c = newest.choose(target, usableNewestFirst);
                if (c.backup().id().equals(usableNewestFirst.get(0).id())) {
                    return c;
                }
                LOG.debug("the newest backup's WAL chose backup {}: planning over the WAL from the oldest backup on", c.backup().id());
            } catch (PitrException refused) {
                LOG.debug("the newest backup's WAL does not reach the target ({}): planning over the WAL from the oldest backup on",
                        refused.getMessage());
            }
        }
        return oldest().choose(target, usableNewestFirst);
    }

    @Override
    public Choice checkWithBackup(RecoveryTarget target, BackupRecord b, List<BackupRecord> usable) {
        if (!usable.isEmpty() && b.id().equals(usable.get(0).id()) && settles(target, usable)) {
            try {
                return newest.checkWithBackup(target, b, usable);
            } catch (PitrException refused) {
                LOG.debug("backup {} does not reach the target over its own WAL ({}): checking against the WAL from the oldest backup on",
                        b.id(), refused.getMessage());
            }
        }
        return oldest().checkWithBackup(target, b, usable);
    }

    /** Whether the newest backup's windows can give the whole archive's answer for this target. */
    private boolean settles(RecoveryTarget target, List<BackupRecord> usableNewestFirst) {
        if (usableNewestFirst.isEmpty()) {
            return false;
        }
        BackupRecord first = usableNewestFirst.get(0);
        Lsn start = first.startLsn();
        if (start == null || !startsBefore(first, target)) {
            return false;
        }
        for (BackupRecord b : usableNewestFirst.subList(1, usableNewestFirst.size())) {
            if (b.startLsn() == null || b.startLsn().compareTo(start) >= 0) {
                return false;
            }
        }
        if (usableNewestFirst.stream().map(BackupRecord::systemIdentifier).filter(Objects::nonNull).distinct().count() > 1) {
            return false;
        }
        Set<Integer> reached = newestWindows.windows().stream().filter(w -> w.backupId().equals(first.id()))
                .map(RecoveryWindow::timeline).collect(Collectors.toSet());
        return reached.containsAll(newestWindows.index().archivedTimelines());
    }

    private TargetValidator oldest() {
        if (oldest == null) {
            oldest = fromOldest.get();
        }
        return oldest;
    }
}

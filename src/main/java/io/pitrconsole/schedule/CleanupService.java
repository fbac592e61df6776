package io.pitrconsole.schedule;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryLock;
import io.pitrconsole.schedule.CleanupPlan.Removal;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Retention cleanup of an archive: old backups by the schedule's policy and size cap, and WAL nobody needs. */
public final class CleanupService {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupService.class);

    private final Repository repository;
    private final ZoneId zone;

    /** @param zone the zone whose calendar days, weeks and months the policy counts in */
    public CleanupService(Repository repository, ZoneId zone) {
        this.repository = repository;
        this.zone = zone;
    }

    /** What a cleanup would remove now (the dry run); changes nothing. */
    public CleanupPlan plan() {
        repository.requireReadable();
        if (repository.backupTool().isPresent()) {
            // its backups and WAL are the program's to expire; the console removes nothing there
            throw new PitrException("cleanup does not remove anything from " + repository.location()
                    + ": its backups and WAL are kept by the program that wrote them",
                    "use that program's retention (for pgBackRest: repo1-retention-full in its configuration, then 'pgbackrest expire')");
        }
        return new CleanupPlanner(repository, new ScheduleStore(repository).load(), zone).plan();
    }

    /** The file every removal is appended to, before it happens, so even an interrupted run leaves a record. */
    public Path journal() {
        return repository.localCache().resolve("cleanup.log");
    }

    private static void record(Path journal, String what) {
        LOG.info("cleanup: removing {}", what);
        try {
            Files.writeString(journal, Instant.now() + " removing " + what + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new PitrException("cannot write the cleanup log " + journal + ": " + e.getMessage(),
                    "nothing more was removed; check free space and permissions in " + journal.getParent());
        }
    }

    /** Removes what the plan says, under the archive lock (no backup or restore runs meanwhile), logging each removal; returns what was removed. */
    public CleanupPlan run() {
        repository.requireWritable();
        try (RepositoryLock lock = repository.lock(LockUse.CLEANUP, "cleanup")) {
            // planned again under the lock: a backup finished since the dry run changes the answer
            CleanupPlan plan = plan();
            Path journal = journal();
            for (Removal b : plan.backups()) {
                record(journal, "backup " + b.name() + " " + b.bytes() + " bytes: " + b.reason());
                try {
                    repository.backups().delete(b.name());
                } catch (IOException e) {
                    throw new PitrException("could not remove " + b.path() + ": " + e.getMessage(),
                            Hint.of("check permissions; nothing after it was removed - run 'cleanup --dry-run' to see what is left",
                                    "check permissions; nothing after it was removed - Preview cleanup on the Schedule page shows what is left"));
                }
            }
            for (Removal w : plan.wal()) {
                record(journal, "wal " + w.name() + " " + w.bytes() + " bytes: " + w.reason());
                try {
                    repository.wal().delete(w.name());
                } catch (IOException e) {
                    throw new PitrException("could not remove " + w.path() + ": " + e.getMessage(),
                            "check permissions of " + repository.wal().describe());
                }
            }
            for (Removal t : plan.leftovers()) {
                record(journal, "leftover " + t.name() + " " + t.bytes() + " bytes: " + t.reason());
                try {
                    repository.removeLeftover(t.name());
                } catch (IOException e) {
                    throw new PitrException("could not remove " + t.path() + ": " + e.getMessage(), "check permissions of " + t.path().getParent());
                }
            }
            if (!plan.backups().isEmpty()) {
                new BackupCatalog(repository).refreshLegacyMetadata();
            }
            LOG.info("cleanup: removed {} backups and {} WAL files, {} bytes", plan.backups().size(), plan.wal().size(), plan.bytesFreed());
            return plan;
        }
    }
}

package io.pitrconsole.backup;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupManifest;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.BackupVerifier;
import io.pitrconsole.archive.CatalogEntry;
import io.pitrconsole.archive.IncrementalBackup;
import io.pitrconsole.archive.VerifyProblem;
import io.pitrconsole.archive.VerifyReport;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.repository.BackupStore;
import io.pitrconsole.repository.BackupTool;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryLock;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Base backups of one archive: create, list, show, stats, delete and verify. */
public final class BackupService {
    private static final Logger LOG = LoggerFactory.getLogger(BackupService.class);

    private final BackupCatalog catalog;
    private final PgContext pg;
    private final Clock clock;

    public BackupService(Repository repository, PgContext pg) {
        this(repository, pg, Clock.systemDefaultZone());
    }

    public BackupService(Repository repository, PgContext pg, Clock clock) {
        this.catalog = new BackupCatalog(repository);
        this.pg = pg;
        this.clock = clock;
    }

    /** The repository the backups are taken into and read from. */
    public Repository repository() {
        return catalog.repository();
    }

    /**
     * Takes a base backup with pg_basebackup into the archive and records it in backup.json; in a
     * repository with its own backup program (pgBackRest), takes that program's default type instead.
     */
    public BackupOutcome create(BackupRequest request, ProgressListener progress, Cancellation cancellation) {
        return create(request, Optional.empty(), progress, cancellation);
    }

    /** As {@link #create(BackupRequest, ProgressListener, Cancellation)}; a type (full, diff, incr) only for a repository with its own backup program. */
    public BackupOutcome create(BackupRequest request, Optional<String> type, ProgressListener progress, Cancellation cancellation) {
        Optional<BackupTool> tool = repository().backupTool();
        if (tool.isEmpty()) {
            if (type.isPresent()) {
                throw new PitrException("--type " + type.get() + " is for repositories with their own backup program; "
                        + repository().location() + " takes full base backups with pg_basebackup", "leave out --type");
            }
            return new BackupCreator(catalog, pg, clock).create(request, progress, cancellation);
        }
        String id = tool.get().take(type.orElse(tool.get().types().get(0)),
                (percent, line) -> progress.progress(percent < 0 ? 0 : Math.round(percent * 100), 10_000, line), cancellation);
        return new BackupOutcome(catalog.get(id), List.of());
    }

    /** All backups newest first; a 'running' backup whose process is gone shows as failed. */
    public List<CatalogEntry> list() {
        boolean someoneWorking = backupRunning();
        return catalog.entries().stream().map(e -> e.record()
                .map(r -> asSeen(r, someoneWorking))
                .map(CatalogEntry::ok)
                .orElse(e)).toList();
    }

    /** One backup's record, seen as {@link #list()} sees it; a clear error for an unknown id or a damaged backup.json. */
    public BackupRecord get(String id) {
        BackupRecord r = catalog.get(id);
        return r.status() == BackupStatus.RUNNING ? asSeen(r, backupRunning()) : r;
    }

    /** A running record is real only while some process holds the archive for a backup. */
    private boolean backupRunning() {
        return repository().holders().stream().anyMatch(h -> h.use() == LockUse.BACKUP);
    }

    private static BackupRecord asSeen(BackupRecord r, boolean someoneWorking) {
        return r.status() == BackupStatus.RUNNING && !someoneWorking
                ? r.withStatus(BackupStatus.FAILED, "interrupted: the process taking it is gone") : r;
    }

    /** A backup's manifest: its files, the WAL it needs, and whether the manifest's own checksum holds. */
    public BackupManifest manifest(String id) {
        BackupStore store = repository().backups();
        boolean present;
        try {
            present = store.files(id).contains("backup_manifest");
        } catch (IOException e) {
            present = false;
        }
        if (!present) {
            throw new PitrException(id + " has no backup_manifest", "the backup is incomplete; take a new backup");
        }
        return BackupManifest.read(store, id);
    }

    /** Totals and averages over the archive (the original --stats). */
    public BackupStats stats() {
        List<CatalogEntry> entries = list();
        List<BackupRecord> records = entries.stream().flatMap(e -> e.record().stream()).toList();
        List<BackupRecord> usable = records.stream().filter(r -> r.status().usable()).toList();
        long walBytes;
        try {
            walBytes = repository().wal().list().stream().mapToLong(f -> f.size()).sum();
        } catch (PitrException e) {
            walBytes = -1;
        }
        return new BackupStats(entries.size(), usable.size(),
                (int) records.stream().filter(r -> r.status() == BackupStatus.FAILED || r.status() == BackupStatus.CORRUPT).count(),
                (int) entries.stream().filter(e -> e.problem().isPresent()).count(),
                records.stream().mapToLong(BackupRecord::sizeBytes).sum(),
                usable.stream().mapToLong(BackupRecord::originalSizeBytes).sum(),
                usable.stream().map(BackupRecord::startTime).filter(t -> t != null).min(Comparator.naturalOrder()).orElse(null),
                usable.stream().map(BackupRecord::startTime).filter(t -> t != null).max(Comparator.naturalOrder()).orElse(null),
                usable.stream().filter(r -> r.durationSeconds() != null).mapToDouble(BackupRecord::durationSeconds).average().orElse(0),
                usable.stream().mapToDouble(BackupRecord::compressionRatio).average().orElse(0),
                walBytes);
    }

    /** Removes a backup directory for good, under the archive lock. */
    public void delete(String id) {
        repository().requireWritable();
        if (!catalog.exists(id)) {
            throw new PitrException("no backup " + id + " in " + repository().location(),
                    Hint.of("'backup list' shows the backups there", "the Backups page lists the backups there"));
        }
        try (RepositoryLock lock = repository().lock(LockUse.DELETE, "backup delete " + id)) {
            repository().backups().delete(id);
            LOG.info("deleted backup {}", id);
            catalog.refreshLegacyMetadata();
        } catch (IOException e) {
            throw new PitrException("could not delete " + repository().backups().where(id) + ": " + e.getMessage(),
                    Hint.of("check permissions; the backup may now be partly deleted - run 'backup verify " + id + "'",
                            "check permissions; the backup may now be partly deleted - select it on the Backups page and click Verify"));
        }
    }

    /** Checks a backup against its manifest without extracting it and records the result. */
    public VerifyReport verify(String id, ProgressListener progress, Cancellation cancellation) {
        if (repository().backupTool().isPresent()) {
            catalog.get(id);
            return verifyWithTool(progress, cancellation).stream().filter(v -> v.backupId().equals(id)).findFirst()
                    .orElseThrow(() -> new PitrException("the repository's verification did not report backup " + id,
                            "run the repository's own verify (pgbackrest verify) to see why"));
        }
        BackupRecord r = catalog.get(id);
        if (r.status() == BackupStatus.INCREMENTAL) {
            throw IncrementalBackup.refusal(r);
        }
        if (!(r.status().usable() || r.status() == BackupStatus.CORRUPT)) {
            throw new PitrException("backup " + id + " is " + r.status().label() + ", there is nothing to verify"
                    + (r.error() == null ? "" : " (" + r.error() + ")"), Hint.of("take a new backup with 'backup create'",
                    "take a new backup with Back up now on the Dashboard or Create on the Backups page"));
        }
        long segmentSize = r.walSegmentSize() == null ? WalSegmentName.DEFAULT_SEGMENT_SIZE : r.walSegmentSize();
        VerifyReport report = new BackupVerifier().verify(repository().backups(), id, repository().wal(), segmentSize,
                Optional.ofNullable(r.systemIdentifier()), progress, cancellation);
        Optional<String> detail = report.ok() ? Optional.empty()
                : Optional.of(report.problems().stream().limit(5).map(VerifyProblem::toString).collect(Collectors.joining("; ")));
        BackupRecord latest = catalog.get(id);
        catalog.save(latest.withVerification(report.ok() ? BackupStatus.VERIFIED : BackupStatus.CORRUPT, Instant.now(clock),
                detail.orElse("all " + report.filesChecked() + " files match the manifest")));
        catalog.refreshLegacyMetadata();
        return report;
    }

    /**
     * The repository's own verification (pgbackrest verify), one report per backup, each recorded
     * as a verification is (the repository keeps where it can: pgBackRest's on this machine).
     */
    private List<VerifyReport> verifyWithTool(ProgressListener progress, Cancellation cancellation) {
        long t0 = System.nanoTime();
        List<BackupTool.Checked> checked = repository().backupTool().orElseThrow().verify(line -> progress.progress(0, 0, line), cancellation);
        double seconds = (System.nanoTime() - t0) / 1e9;
        for (BackupTool.Checked c : checked) {
            if (catalog.exists(c.backupId())) {
                catalog.save(catalog.get(c.backupId()).withVerification(c.valid() ? BackupStatus.VERIFIED : BackupStatus.CORRUPT,
                        Instant.now(clock), c.valid() ? "all " + c.filesChecked() + " files valid (pgbackrest verify)" : String.join("; ", c.problems())));
            }
        }
        catalog.refreshLegacyMetadata();
        return checked.stream().map(c -> new VerifyReport(c.backupId(), c.valid(), c.filesChecked(), 0, 0, seconds,
                c.problems().stream().map(p -> new VerifyProblem(c.backupId(), "checksum", p)).toList())).toList();
    }

    /** Verifies every backup that finished (complete, verified or corrupt). */
    public List<VerifyReport> verifyAll(ProgressListener progress, Cancellation cancellation) {
        if (repository().backupTool().isPresent()) {
            return verifyWithTool(progress, cancellation);
        }
        return catalog.records().stream()
                .filter(r -> r.status().usable() || r.status() == BackupStatus.CORRUPT)
                .map(r -> verify(r.id(), progress, cancellation)).toList();
    }
}

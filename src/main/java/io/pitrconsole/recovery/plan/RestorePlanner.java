package io.pitrconsole.recovery.plan;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.IncrementalBackup;
import io.pitrconsole.archive.Tablespace;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.report.RestoreReports;
import io.pitrconsole.recovery.run.Ports;
import io.pitrconsole.recovery.run.RecoverySettings;
import io.pitrconsole.recovery.run.RestoreExecutor;
import io.pitrconsole.recovery.run.Sandbox;
import io.pitrconsole.recovery.run.WalAhead;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.target.TargetValidator;
import io.pitrconsole.repository.Repository;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Turns a request into a checked plan: the backup to start from, the timeline, the WAL files
 * recovery will read (each present and readable), the settings, where the files go and an
 * estimate. Nothing is written while planning.
 */
public final class RestorePlanner {
    private final Repository repository;
    private final Optional<BackupCatalog.Snapshot> read;
    private final TargetValidator validator;

    /** Plans over the backup catalog as it is read when planning. */
    public RestorePlanner(Repository repository, TargetValidator validator) {
        this.repository = repository;
        this.read = Optional.empty();
        this.validator = validator;
    }

    /** Plans over the backup catalog as the caller read it (and handed to the validator). */
    public RestorePlanner(Repository repository, BackupCatalog.Snapshot catalog, TargetValidator validator) {
        this.repository = repository;
        this.read = Optional.of(catalog);
        this.validator = validator;
    }

    /** Checks the request against the archive and states what a run would do; nothing is written. */
    public RestorePlan plan(RestoreRequest request) {
        // reading the catalog checks that the repository can be read (a snapshot given was read for this plan)
        BackupCatalog.Snapshot catalog = read.orElseGet(() -> new BackupCatalog(repository).snapshot());
        List<BackupRecord> usable = catalog.records().stream().filter(r -> r.status().usable())
                .sorted(Comparator.comparing(BackupRecord::startTime).reversed()).toList();
        if (usable.isEmpty()) {
            Optional<BackupRecord> incremental = catalog.records().stream().filter(r -> r.status() == BackupStatus.INCREMENTAL).findFirst();
            if (incremental.isPresent() && request.backupId().isEmpty()) {
                throw IncrementalBackup.refusal(incremental.get());
            }
            if (request.backupId().isEmpty()) {
                throw new PitrException("no usable backup in " + repository.location(),
                        Hint.of("take one with 'backup create'", "take one with Back up now on the Dashboard or Create on the Backups page"));
            }
        }
        TargetValidator.Choice choice = request.backupId()
                .map(id -> validator.checkWithBackup(request.target(), catalog.get(id), usable))
                .orElseGet(() -> validator.choose(request.target(), usable));
        BackupRecord backup = choice.backup();
        RecoveryTarget target = request.target().timeline() != null ? request.target() : request.target().onTimeline(choice.timeline());
        List<String> notes = new ArrayList<>(choice.noteLines());

        Path dataDir;
        Integer port = null;
        Map<String, String> extra = new LinkedHashMap<>();
        Map<String, Path> tablespaces = new LinkedHashMap<>();
        if (request.mode() == RestoreMode.REHEARSAL) {
            Path root = request.destination().orElseGet(RestorePlanner::newSandboxRoot).toAbsolutePath().normalize();
            Sandbox sandbox = new Sandbox(root);
            sandbox.requireUnused();
            dataDir = sandbox.dataDir();
            port = request.port().orElseGet(Ports::free);
            extra.putAll(sandbox.settings(port));
            for (Tablespace t : backup.tablespaces()) {
                tablespaces.put(t.oid(), mapped(request, t).orElse(Sandbox.tablespaceDir(root, t.oid())));
            }
        } else {
            dataDir = request.destination().orElseThrow(() -> new PitrException("an in-place restore needs the data directory",
                    Hint.of("pass --data-dir with the data directory of the cluster to restore",
                            "type the data directory of the cluster to restore on the Mode step"))).toAbsolutePath().normalize();
            for (Tablespace t : backup.tablespaces()) {
                tablespaces.put(t.oid(), mapped(request, t).orElse(Path.of(t.location())));
            }
            // The log is followed to see recovery end; a logging collector would take the lines elsewhere.
            extra.put("logging_collector", "off");
        }
        RecoverySettings settings = RecoverySettings.of(target, repository.wal(),
                WalAhead.dirFor(request.mode(), dataDir), request.action(), extra);
        List<Path> wal = choice.walFiles();
        long walBytes = choice.walBytes();
        Estimate estimate = Estimate.from(new RestoreReports(repository).recentTimings(Estimate.REPORTS), backup.originalSizeBytes(), wal.size());
        List<String> checks = new ArrayList<>(choice.checks());
        checks.add(wal.size() + " WAL file(s), " + ByteSize.of(walBytes).human() + ", present and readable");
        return new RestorePlan(backup.id(), target, request.mode(), dataDir, port,
                wal.stream().map(p -> p.getFileName().toString()).toList(), walBytes, backup.originalSizeBytes(),
                settings.values(), tablespaces, estimate.seconds(), estimate.basis(), checks, notes, choice.warningLines(), request,
                choice.walEnd(), choice.consoleWords());
    }

    private static Optional<Path> mapped(RestoreRequest request, Tablespace t) {
        Path byOid = request.tablespaceMap().get(t.oid());
        if (byOid != null) {
            return Optional.of(byOid.toAbsolutePath().normalize());
        }
        Path byLocation = request.tablespaceMap().get(Path.of(t.location()).normalize().toString());
        return Optional.ofNullable(byLocation).map(p -> p.toAbsolutePath().normalize());
    }

    private static Path newSandboxRoot() {
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss"));
        return Path.of(System.getProperty("java.io.tmpdir"), "pitr-rehearsal-" + stamp + "-" + ThreadLocalRandom.current().nextInt(1000, 10000));
    }

    /** The estimated duration of a restore and where the numbers come from. */
    public record Estimate(double seconds, String basis) {
        static final double DEFAULT_EXTRACT_MBPS = 150;
        static final double DEFAULT_SEGMENTS_PER_SECOND = 8;
        static final double FIXED_SECONDS = 10;
        /** The newest restores an estimate is made from: recent ones say most of this machine and archive as they are. */
        static final int REPORTS = 20;

        public static Estimate from(List<RestoreReports.Timing> earlier, long backupBytes, int segments) {
            double mb = backupBytes / 1e6;
            List<RestoreReports.Timing> measured = earlier.stream()
                    .filter(r -> r.succeeded() && r.bytesExtracted() > 0 && r.seconds(RestoreExecutor.EXTRACT) > 0).toList();
            if (measured.isEmpty()) {
                double s = FIXED_SECONDS + mb / DEFAULT_EXTRACT_MBPS + segments / DEFAULT_SEGMENTS_PER_SECOND;
                return new Estimate(s, String.format("defaults: extraction %.0f MB/s, replay %.0f WAL files/s, %.0f s start and checks"
                        + " (no earlier restore measured on this archive)", DEFAULT_EXTRACT_MBPS, DEFAULT_SEGMENTS_PER_SECOND, FIXED_SECONDS));
            }
            double bytes = measured.stream().mapToDouble(RestoreReports.Timing::bytesExtracted).sum();
            double secs = measured.stream().mapToDouble(r -> r.seconds(RestoreExecutor.EXTRACT)).sum();
            double mbps = bytes / 1e6 / secs;
            double replaySegs = measured.stream().mapToDouble(RestoreReports.Timing::walSegmentsRestored).sum();
            double replaySecs = measured.stream().mapToDouble(r -> r.seconds(RestoreExecutor.RECOVERY)).sum();
            double segsPerSec = replaySegs > 0 && replaySecs > 0 ? replaySegs / replaySecs : DEFAULT_SEGMENTS_PER_SECOND;
            double other = measured.stream().mapToDouble(r -> r.totalSeconds()
                    - r.seconds(RestoreExecutor.EXTRACT) - r.seconds(RestoreExecutor.RECOVERY)).average().orElse(FIXED_SECONDS);
            double s = other + mb / mbps + segments / segsPerSec;
            return new Estimate(s, String.format("measured on %d earlier restore(s) of this archive: extraction %.0f MB/s, replay %.1f WAL files/s",
                    measured.size(), mbps, segsPerSec));
        }
    }

    public static Instant stopOf(BackupRecord b) {
        return b.stopTime() != null ? b.stopTime() : b.startTime();
    }
}

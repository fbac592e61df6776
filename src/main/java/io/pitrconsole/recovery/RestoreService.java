package io.pitrconsole.recovery;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.PgInstallation;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.plan.RestorePlanner;
import io.pitrconsole.recovery.plan.RestorePrerequisites;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.report.RestoreReports;
import io.pitrconsole.recovery.run.ClusterVerifier;
import io.pitrconsole.recovery.run.InterruptedRestores;
import io.pitrconsole.recovery.run.RestoreExecutor;
import io.pitrconsole.recovery.run.RestoreJournal;
import io.pitrconsole.recovery.run.Sandbox;
import io.pitrconsole.recovery.run.SqlProbe;
import io.pitrconsole.recovery.run.Verification;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.target.TargetValidators;
import io.pitrconsole.repository.LockUse;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.RepositoryLock;
import io.pitrconsole.wal.WalCopies;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Restores of one archive: plan, run (rehearsal or in place), discard a kept sandbox, roll back, history. */
public final class RestoreService {
    private static final Hint HISTORY_LISTS_THEM = Hint.of("'restore history' lists the restores of this archive",
            "the Rehearsal history tab of the Restore page lists the restores of this archive");
    private final Repository repository;
    private final PgContext pg;

    public RestoreService(Repository repository, PgContext pg) {
        this.repository = repository;
        this.pg = pg;
    }

    /** Checks a request against the archive and states what a run would do, touching nothing. */
    public RestorePlan plan(RestoreRequest request, ProgressListener progress, Cancellation cancel) {
        requireConnectionForInPlace(request);
        return plan(request, new BackupCatalog(repository).snapshot(), WalCopies.none(), progress, cancel);
    }

    private void requireConnectionForInPlace(RestoreRequest request) {
        if (request.mode() == RestoreMode.IN_PLACE && request.connection().isEmpty()) {
            throw new PitrException("an in-place restore needs the connection settings of the restored server",
                    Hint.of("give -h/-p/-U for the server whose data directory is restored",
                            "set the profile's host, port and user (Settings) to the server whose data directory is restored"));
        }
    }

    /** Plans over the catalog as read once for the command: choosing the backup and planning see the same records. */
    private RestorePlan plan(RestoreRequest request, BackupCatalog.Snapshot catalog, WalCopies copies, ProgressListener progress,
                             Cancellation cancel) {
        RestorePlan plan = new RestorePlanner(repository, catalog,
                TargetValidators.forRestore(repository, request.target(), catalog.records(), copies, progress, cancel)).plan(request);
        if (plan.mode() == RestoreMode.IN_PLACE) {
            // Said at the plan already, before anyone confirms a restore that could not start.
            new InterruptedRestores(repository, pg).refuseWhileUnresolved(plan);
        }
        return plan;
    }

    /**
     * Runs a plan made earlier (and shown to someone) step by step; the returned report (also saved)
     * says whether it succeeded. The archive is held against cleanup and backup delete for the whole
     * run (refused while one runs). Its pre-checks check the plan against the archive again and stop
     * the restore, before it changes anything, when the archive no longer allows it as planned.
     * Refuses to start while an interrupted in-place restore is not rolled back; first removes the
     * sandboxes of rehearsals whose process died.
     */
    public RestoreReport run(RestorePlan plan, RestoreListener listener, Cancellation cancel) {
        try (RepositoryLock hold = repository.lock(LockUse.RESTORE, "restore from " + plan.backupId())) {
            // read once the archive is held (no backup can go until the run ends); the pre-checks still plan again
            // against the archive as it is now, since it may have changed since the plan was made
            return execute(plan, true, new BackupCatalog(repository).get(plan.backupId()), WalCopies.none(), listener, cancel);
        }
    }

    /**
     * The run itself, with the archive held (backup is the plan's record, read while it was held); a plan made earlier is
     * checked again in the pre-checks.
     */
    private RestoreReport execute(RestorePlan plan, boolean madeEarlier, BackupRecord backup, WalCopies copies, RestoreListener listener,
                                  Cancellation cancel) {
        requireServerProgramsOf(backup);
        InterruptedRestores interrupted = new InterruptedRestores(repository, pg);
        interrupted.refuseWhileUnresolved(plan);
        List<String> cleaned = interrupted.cleanOrphanRehearsals();
        RestoreExecutor executor = new RestoreExecutor(repository, pg, plan, backup, madeEarlier, copies, listener, cancel);
        executor.addNotes(cleaned);
        return executor.run();
    }

    /**
     * Only the server programs of the backup's own major can start its data directory: without
     * them the restore is refused before anything is written, naming what to install.
     */
    private void requireServerProgramsOf(BackupRecord backup) {
        String backupId = backup.id();
        String version = backup.pgVersion();
        if (version == null || !version.matches("\\d+.*")) {
            return;
        }
        int major = Integer.parseInt(version.split("\\D", 2)[0]);
        PgInstallation inst = pg.installation(Optional.of(major));
        if (inst.version().major() != major) {
            throw new PitrException("backup " + backupId + " is of PostgreSQL " + major + ", but the PostgreSQL programs found ("
                    + inst.binDir() + ") are version " + inst.version().major() + ", which cannot start its data directory",
                    Hint.of("install PostgreSQL " + major + "'s server programs (Debian: apt-get install postgresql-" + major
                            + ") or pass their bin directory with --pg-bin",
                            "install PostgreSQL " + major + "'s server programs (Debian: apt-get install postgresql-" + major
                                    + ") and set the profile's PostgreSQL bin directory (Settings) to their bin directory"));
        }
    }

    /** Plans and runs in one go, holding the archive from the plan to the end. */
    public RestoreReport run(RestoreRequest request, RestoreListener listener, Cancellation cancel) {
        // the WAL that planning fetches from a bucket to index it is kept for the run's check, not fetched twice
        requireConnectionForInPlace(request);
        try (RepositoryLock hold = repository.lock(LockUse.RESTORE, "restore"); WalCopies copies = WalCopies.under(repository.workDir())) {
            // the catalog is read once: held from the plan to the end, no backup the plan chose can go, and a backup created
            // meanwhile changes nothing the plan relies on
            BackupCatalog.Snapshot catalog = new BackupCatalog(repository).snapshot();
            RestorePlan plan = plan(request, catalog, copies, ProgressListener.NONE, cancel);
            return execute(plan, false, catalog.get(plan.backupId()), copies, listener, cancel);
        }
    }

    /** Stops and deletes a rehearsal sandbox kept with --keep (or left by a killed rehearsal); refuses any directory that is not one. */
    public Path discard(Path dir) {
        Path d = dir.toAbsolutePath().normalize();
        InterruptedRestores interrupted = new InterruptedRestores(repository, pg);
        for (Path candidate : new Path[] {d, d.getParent()}) {
            Optional<RestoreJournal.Found> orphan = candidate == null ? Optional.empty() : interrupted.orphanSandbox(candidate);
            if (orphan.isPresent()) {
                interrupted.discardOrphan(orphan.get());
                return candidate;
            }
        }
        Sandbox s = Sandbox.find(dir);
        s.remove(new ClusterControl(installationFor(s.dataDir()), pg.runner()));
        return s.root();
    }

    /** Stops and deletes the sandboxes of rehearsals whose process died (killed mid-way); says what it removed. */
    public List<String> discardInterrupted() {
        return new InterruptedRestores(repository, pg).cleanOrphanRehearsals();
    }

    /** The prerequisites of a restore to the latest archived WAL (into the default sandbox place, or in place into dataDir). */
    public List<Finding> check(Optional<Path> dataDir, ProgressListener progress, Cancellation cancel) {
        return check(dataDir, RecoveryTarget.latest(), Optional.empty(), progress, cancel);
    }

    /**
     * The prerequisites of a restore to target (from backupId, else the backup a plan would choose):
     * programs, backups, windows, space, access, and every record's CRC in the WAL files that restore replays
     * (each read whole, compressed ones decompressed to their end).
     */
    public List<Finding> check(Optional<Path> dataDir, RecoveryTarget target, Optional<String> backupId, ProgressListener progress,
                                    Cancellation cancel) {
        return new RestorePrerequisites(repository, pg).check(dataDir, target, backupId, progress, cancel);
    }

    /** Runs the rehearsal checks against the sandbox of a kept rehearsal, through its private socket. */
    public Verification verifyKept(String reportId, Optional<String> role, String database, String schema, OptionalInt expectTimeline) {
        RestoreReport r = history().stream().filter(x -> x.id().equals(reportId)).findFirst()
                .orElseThrow(() -> new PitrException("no restore report with id " + reportId, HISTORY_LISTS_THEM));
        if (r.sandbox() == null || !r.kept() || r.port() == null || !Files.isDirectory(Path.of(r.sandbox()))) {
            throw new PitrException("restore " + reportId + " left no kept rehearsal sandbox to verify",
                    "rehearse with 'restore run ... --keep', or verify a running cluster with -h/-p");
        }
        Sandbox s = Sandbox.find(Path.of(r.sandbox()));
        SqlProbe sql = SqlProbe.viaSocket(installationFor(s.dataDir()), pg.runner(), s.root(), r.port(),
                role.orElse(pg.serverUser().name()), database);
        return ClusterVerifier.verify(sql, "rehearsal sandbox " + s.root() + " port " + r.port(), schema, expectTimeline);
    }

    /** Writes a report as an HTML page beside the saved reports; returns where. */
    public Path exportHtml(RestoreReport report) {
        return new RestoreReports(repository).exportHtml(report);
    }

    /** Saved restore reports, newest first. */
    public List<RestoreReport> history() {
        // a missing archive has no history to show: "no restores yet" would read as an empty, healthy one
        repository.requireReadable();
        return new RestoreReports(repository).list();
    }

    /**
     * Undoes the newest completed in-place restore (or the one named): records the timelines the
     * restored cluster was on as abandoned, stops the restored server, puts the old data directory
     * back and starts it again.
     */
    public RestoreReport rollback(Optional<String> restoreId) {
        return rollback(restoreId, Optional.empty());
    }

    /**
     * Undoes an in-place restore: an interrupted one (its journal beside dataDir, or named by the
     * archive) first, else the newest completed one (or the one named), as {@link #rollback(Optional)}.
     */
    public RestoreReport rollback(Optional<String> restoreId, Optional<Path> dataDir) {
        InterruptedRestores interrupted = new InterruptedRestores(repository, pg);
        List<RestoreJournal.Found> open = interrupted.inPlace(dataDir).stream()
                .filter(f -> restoreId.map(f.entry().restoreId()::equals).orElse(true))
                .filter(f -> dataDir.map(d -> d.toAbsolutePath().normalize().toString().equals(f.entry().dataDirectory())).orElse(true))
                .toList();
        if (open.size() > 1) {
            throw new PitrException(open.size() + " interrupted in-place restores are unresolved: "
                    + open.stream().map(f -> f.entry().restoreId() + " of " + f.entry().dataDirectory()).toList(),
                    "name one with --restore ID or --data-dir DIR");
        }
        if (open.size() == 1) {
            return interrupted.rollBack(open.get(0));
        }
        RestoreReport r = history().stream()
                .filter(x -> x.mode() == RestoreMode.IN_PLACE && x.succeeded() && !x.movedAside().isEmpty() && !x.rolledBack())
                .filter(x -> restoreId.map(x.id()::equals).orElse(true))
                .findFirst()
                .orElseThrow(() -> new PitrException("no completed in-place restore to roll back"
                        + restoreId.map(i -> " with id " + i).orElse(""), HISTORY_LISTS_THEM));
        r.movedAside().forEach((from, to) -> {
            if (!Files.isDirectory(Path.of(to))) {
                throw new PitrException(to + " is gone; " + from + " cannot be put back, so restore " + r.id() + " cannot be rolled back",
                        "nothing was changed; the restored cluster keeps running");
            }
        });
        return interrupted.rollBackCompleted(r);
    }

    /** The programs of the data directory's own major version (PG_VERSION), else any found. */
    private PgInstallation installationFor(Path dataDir) {
        Optional<Integer> major;
        try {
            major = Optional.of(Integer.valueOf(Files.readString(dataDir.resolve("PG_VERSION")).trim()));
        } catch (java.io.IOException | NumberFormatException e) {
            major = Optional.empty();
        }
        return pg.installation(major);
    }
}

package io.pitrconsole.recovery;

import io.pitrconsole.archive.AbandonedTimeline;
import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.PgInstallation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/** Restores of one archive: plan, run (rehearsal or in place), discard a kept sandbox, roll back, history. */
public final class RestoreService {
    private final ArchiveLayout layout;
    private final PgContext pg;

    public RestoreService(ArchiveLayout layout, PgContext pg) {
        this.layout = layout;
        this.pg = pg;
    }

    /** Checks a request against the archive and states what a run would do, touching nothing. */
    public RestorePlan plan(RestoreRequest request, ProgressListener progress, Cancellation cancel) {
        if (request.mode() == RestoreMode.IN_PLACE && request.connection().isEmpty()) {
            throw new PitrException("an in-place restore needs the connection settings of the restored server",
                    "give -h/-p/-U for the server whose data directory is restored");
        }
        return new RestorePlanner(layout, TargetValidators.forArchive(layout, progress, cancel)).plan(request);
    }

    /** Runs a plan step by step; the returned report (also saved) says whether it succeeded. */
    public RestoreReport run(RestorePlan plan, RestoreListener listener, Cancellation cancel) {
        requireServerProgramsOf(plan.backupId());
        return new RestoreExecutor(layout, pg, plan, listener, cancel).run();
    }

    /**
     * Only the server programs of the backup's own major can start its data directory: without
     * them the restore is refused before anything is written, naming what to install.
     */
    private void requireServerProgramsOf(String backupId) {
        String version = new BackupCatalog(layout).get(backupId).pgVersion();
        if (version == null || !version.matches("\\d+.*")) {
            return;
        }
        int major = Integer.parseInt(version.split("\\D", 2)[0]);
        PgInstallation inst = pg.installation(Optional.of(major));
        if (inst.version().major() != major) {
            throw new PitrException("backup " + backupId + " is of PostgreSQL " + major + ", but the PostgreSQL programs found ("
                    + inst.binDir() + ") are version " + inst.version().major() + ", which cannot start its data directory",
                    "install PostgreSQL " + major + "'s server programs (Debian: apt-get install postgresql-" + major
                            + ") or pass their bin directory with --pg-bin");
        }
    }

    /** Plans and runs in one go. */
    public RestoreReport run(RestoreRequest request, RestoreListener listener, Cancellation cancel) {
        return run(plan(request, ProgressListener.NONE, cancel), listener, cancel);
    }

    /** Stops and deletes a rehearsal sandbox kept with --keep; refuses any directory that is not one. */
    public Path discard(Path dir) {
        Sandbox s = Sandbox.find(dir);
        s.remove(new ClusterControl(installationFor(s.dataDir()), pg.runner()));
        return s.root();
    }

    /** The prerequisites of a restore to the latest archived WAL (into the default sandbox place, or in place into dataDir). */
    public List<Prerequisite> check(Optional<Path> dataDir, ProgressListener progress, Cancellation cancel) {
        return check(dataDir, RecoveryTarget.latest(), Optional.empty(), progress, cancel);
    }

    /**
     * The prerequisites of a restore to target (from backupId, else the backup a plan would choose):
     * programs, backups, windows, space, access, and every record's CRC in the WAL files that restore replays.
     */
    public List<Prerequisite> check(Optional<Path> dataDir, RecoveryTarget target, Optional<String> backupId, ProgressListener progress,
                                    Cancellation cancel) {
        return new RestorePrerequisites(layout, pg).check(dataDir, target, backupId, progress, cancel);
    }

    /** Runs the rehearsal checks against the sandbox of a kept rehearsal, through its private socket. */
    public Verification verifyKept(String reportId, Optional<String> role, String database, String schema, OptionalInt expectTimeline) {
        RestoreReport r = history().stream().filter(x -> x.id().equals(reportId)).findFirst()
                .orElseThrow(() -> new PitrException("no restore report with id " + reportId, "'restore history' lists the restores of this archive"));
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
        return new RestoreReports(layout).exportHtml(report);
    }

    /** Saved restore reports, newest first. */
    public List<RestoreReport> history() {
        return new RestoreReports(layout).list();
    }

    /**
     * Undoes the newest completed in-place restore (or the one named): records the timelines the
     * restored cluster was on as abandoned, stops the restored server, puts the old data directory
     * back and starts it again.
     */
    public RestoreReport rollback(Optional<String> restoreId) {
        RestoreReport r = history().stream()
                .filter(x -> x.mode() == RestoreMode.IN_PLACE && x.succeeded() && !x.movedAside().isEmpty() && !x.rolledBack())
                .filter(x -> restoreId.map(x.id()::equals).orElse(true))
                .findFirst()
                .orElseThrow(() -> new PitrException("no completed in-place restore to roll back"
                        + restoreId.map(i -> " with id " + i).orElse(""), "'restore history' lists the restores of this archive"));
        Path data = Path.of(r.dataDirectory());
        r.movedAside().forEach((from, to) -> {
            if (!Files.isDirectory(Path.of(to))) {
                throw new PitrException(to + " is gone; " + from + " cannot be put back, so restore " + r.id() + " cannot be rolled back",
                        "nothing was changed; the restored cluster keeps running");
            }
        });
        // Recorded first: if this fails nothing was touched, and once the old cluster runs again no
        // restore may silently follow the timeline the restored one was on.
        List<AbandonedTimeline> abandoned = AbandonedByRollback.of(r, layout, Instant.now());
        if (!abandoned.isEmpty()) {
            AbandonedTimelines.record(layout, abandoned);
        }
        ClusterControl control = new ClusterControl(installationFor(data), pg.runner());
        try {
            boolean running = Files.exists(data.resolve("postmaster.pid")) && control.isRunning(data);
            if (running) {
                control.stop(data, "fast");
            }
        } catch (RuntimeException e) {
            // The restored cluster still runs on its timeline: it is not abandoned after all.
            if (!abandoned.isEmpty()) {
                AbandonedTimelines.forget(layout, r.id());
            }
            throw e;
        }
        Map<Path, Path> moved = new LinkedHashMap<>();
        r.movedAside().forEach((from, to) -> moved.put(Path.of(from), Path.of(to)));
        List<String> problems = DataDirSwap.putBack(moved);
        if (!problems.isEmpty()) {
            throw new PitrException("rollback incomplete: " + String.join("; ", problems), "put the directories back by hand");
        }
        control.start(data, Path.of(r.serverLog()), 300);
        RestoreReport done = new RestoreReport(r.id(), RestoreReport.ROLLED_BACK, r.mode(), r.backup(), r.target(), r.targetDetail(),
                r.dataDirectory(), r.port(), r.kept(), r.startedAt(), Instant.now(), r.steps(), r.reachedTarget(), r.restoredTimeline(),
                r.checks(), r.rowCounts(), r.rtoSeconds(), r.bytesExtracted(), r.walSegmentsRestored(), r.serverLog(), r.sandbox(),
                r.movedAside(), true, withAbandoned(r.notes(), abandoned), r.error(), r.hint());
        new RestoreReports(layout).save(done);
        return done;
    }

    private static List<String> withAbandoned(List<String> notes, List<AbandonedTimeline> abandoned) {
        List<String> out = new ArrayList<>(notes);
        abandoned.forEach(a -> out.add("timeline " + a.timeline() + " is recorded as abandoned in the archive: restores follow it only"
                + " when asked with --timeline " + a.timeline()));
        return out;
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

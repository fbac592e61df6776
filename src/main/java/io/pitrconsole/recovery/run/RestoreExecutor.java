package io.pitrconsole.recovery.run;

import io.pitrconsole.archive.AbandonedTimeline;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.PgInstallation;
import io.pitrconsole.pg.PgToolRunner;
import io.pitrconsole.pg.ServerUserFiles;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.plan.PlanRecheck;
import io.pitrconsole.recovery.plan.PreChecks;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.report.RestoreReports;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.WalStore;
import io.pitrconsole.wal.WalCopies;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One restore from a checked plan, step by step. A rehearsal builds a sandbox next to nothing of
 * production's; an in-place restore moves the old directories aside first and puts them back
 * (restarting the server if it ran) when anything fails after that.
 */
public final class RestoreExecutor {
    public static final String PRECHECKS = "pre-checks";
    static final String STOP = "stop server";
    static final String MOVE_ASIDE = "move data directory aside";
    static final String SANDBOX = "create sandbox";
    public static final String EXTRACT = "extract backup";
    static final String SETTINGS = "write recovery settings";
    static final String START = "start server";
    public static final String RECOVERY = "recover to target";
    static final String RECOVERY_END = "check where recovery stopped";
    public static final String VERIFY = "verify";
    static final String TEARDOWN = "remove sandbox";
    static final String PUT_BACK = "put back old data directory";
    static final String RESTART = "restart server";

    private static final Logger LOG = LoggerFactory.getLogger(RestoreExecutor.class);

    private final Repository repository;
    private final RestorePlan plan;
    private final boolean recheckPlan;
    private final RestoreRequest request;
    private final RestoreListener listener;
    private final Cancellation cancel;
    private final PgToolRunner runner;
    private final PgInstallation installation;
    private final ServerUserFiles files;
    private final StepClock clock;
    private final String id;
    private final BackupRecord backup;
    private final Optional<Sandbox> sandbox;
    private final Path logFile;
    private final List<String> notes = new ArrayList<>();
    /** The console's wording of the notes and hint that name commands or flags, keyed by their command-line wording. */
    private final Map<String, String> consoleWords = new LinkedHashMap<>();
    private final DataDirSwap swap = new DataDirSwap();
    private RecoveryServer server;
    private boolean wasRunning;
    private RestoreJournal journal;
    private boolean cleanedUp;
    private WalAhead walAhead;
    private Optional<CheckedWal> checkedWal = Optional.empty();
    private final WalCopies copies;

    /**
     * backup: the plan's backup record as read while the archive is held, so the run does not read the catalog for it again;
     * madeEarlier: the plan was shown before it runs, so the pre-checks check it against the archive again;
     * copies: WAL fetched whole while the plan was made, which the pre-check takes instead of fetching it again.
     */
    public RestoreExecutor(Repository repository, PgContext pg, RestorePlan plan, BackupRecord backup, boolean madeEarlier, WalCopies copies,
                           RestoreListener listener, Cancellation cancel) {
        if (!backup.id().equals(plan.backupId())) {
            throw new IllegalArgumentException("the record of backup " + backup.id() + " for a plan from " + plan.backupId());
        }
        this.copies = copies;
        this.repository = repository;
        this.plan = plan;
        this.recheckPlan = madeEarlier;
        this.request = plan.request();
        this.listener = listener;
        this.cancel = cancel;
        this.runner = pg.runner();
        this.backup = backup;
        this.installation = pg.installation(Optional.ofNullable(backup.pgVersion()).map(v -> Integer.valueOf(v.split("\\.")[0])));
        this.files = new ServerUserFiles(runner.serverUser());
        this.clock = new StepClock(new JournalledSteps());
        this.id = "restore_" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss")) + "_"
                + ThreadLocalRandom.current().nextInt(100, 1000);
        Path data = plan.dataDirectory();
        this.sandbox = plan.mode() == RestoreMode.REHEARSAL ? Optional.of(new Sandbox(data.getParent())) : Optional.empty();
        this.logFile = sandbox.map(Sandbox::logFile).orElse(data.resolveSibling(data.getFileName() + ".pitr-" + id + ".log"));
        plan.warnings().forEach(w -> note(Hint.of("warning: " + w, "warning: " + plan.inConsoleWords(w))));
    }

    /** Runs every step; the report says how it went, and is saved whatever happened. */
    public RestoreReport run() {
        Instant started = Instant.now();
        long t0 = System.nanoTime();
        BackupExtractor extractor = new BackupExtractor(repository.backups(), backup, repository.placement());
        BackupExtractor.Result extracted = null;
        RecoveryOutcome outcome = null;
        RestoreChecks.Result checked = null;
        Double rto = null;
        String status = RestoreReport.SUCCEEDED;
        String error = null;
        String hint = null;
        boolean rolledBack = false;
        try {
            clock.run(PRECHECKS, () -> preChecks(extractor), c -> String.join("; ", c));
            if (sandbox.isPresent()) {
                openJournal(sandbox.get().root().resolve(RestoreJournal.SANDBOX_FILE));
                clock.run(SANDBOX, () -> sandbox.get().create(id, plan.port(), files));
            } else {
                prepareInPlace();
            }
            startWalAhead();
            extracted = clock.run(EXTRACT, () -> extractor.extract(plan.dataDirectory(), plan.tablespaces(),
                    (d, t, m) -> listener.progress(EXTRACT, d, t, m), cancel),
                    r -> r.files() + " files, " + ByteSize.of(r.bytes()).human() + (r.tars() == 0 ? " placed by the repository"
                            : " from " + r.tars() + " tar file(s)"));
            clock.run(SETTINGS, this::writeSettings);
            server = new RecoveryServer(installation, runner, plan.dataDirectory(), logFile);
            clock.run(START, () -> server.start(cancel));
            outcome = clock.run(RECOVERY, this::recover, o -> (o.stoppingLine() == null ? o.state().name().toLowerCase() : o.stoppingLine())
                    + (walAhead == null ? "" : "; " + walAhead.staged() + " of " + plan.walSegments().size()
                            + " WAL file(s) staged ahead of the server"));
            closeWalAhead();
            RecoveryOutcome recovered = outcome;
            clock.run(RECOVERY_END, () -> checkEnd(recovered), RecoveryEndCheck.Verdict::detail);
            checked = clock.run(VERIFY, this::verify, r -> r.checks().stream().map(c -> c.name() + (c.ok() ? " ok" : " FAILED")).toList().toString());
            rto = (System.nanoTime() - t0) / 1e9;
            if (!checked.ok()) {
                throw new PitrException("the restored cluster failed a check: " + checked.checks().stream().filter(c -> !c.ok())
                        .map(c -> c.name() + ": " + c.detail()).toList(), "see the server log " + logFile);
            }
            finishSuccess(outcome);
        } catch (RuntimeException e) {
            closeWalAhead();
            status = RestoreReport.FAILED;
            error = e.getMessage();
            hint = e instanceof PitrException pe ? pe.hint() : "see the server log " + logFile;
            if (e instanceof PitrException pe && !pe.consoleHint().equals(pe.hint())) {
                consoleWords.put(pe.hint(), pe.consoleHint());
            }
            LOG.warn("restore {} failed: {}", id, e.toString());
            rolledBack = recoverFromFailure();
            if (rolledBack) {
                status = RestoreReport.ROLLED_BACK;
            }
        }
        Map<String, String> aside = new LinkedHashMap<>();
        swap.moved().forEach((from, to) -> aside.put(from.toString(), to.toString()));
        boolean kept = sandbox.isPresent() && request.keep();
        RestoreReport report = new RestoreReport(id, status, plan.mode(), backup.id(), plan.target().describe(), plan.target(),
                plan.dataDirectory().toString(), plan.port(), kept && RestoreReport.SUCCEEDED.equals(status), started, Instant.now(),
                clock.steps(), outcome == null ? null : Optional.ofNullable(outcome.stoppingLine()).orElse(outcome.failureLine()),
                checked == null ? null : checked.timeline(), checked == null ? List.of() : checked.checks(),
                checked == null ? Map.of() : checked.rowCounts(), rto, extracted == null ? 0 : extracted.bytes(),
                outcome == null ? 0 : outcome.segmentsRestored(), logFile.toString(), sandbox.map(s -> s.root().toString()).orElse(null),
                aside, rolledBack, notes, error, hint, consoleWords);
        new RestoreReports(repository).save(report);
        closeJournalIfResolved(report);
        return report;
    }

    /**
     * What must hold before anything is touched; a plan made earlier is then planned again and
     * compared, after the checks of its own files (whose words say best what is wrong with them).
     */
    private List<String> preChecks(BackupExtractor extractor) {
        // WAL elsewhere is fetched once: by the check, which keeps the copies that pass for WalAhead
        checkedWal = CheckedWal.forPlan(wal(), plan.walSegments(), CheckedWal.dirBeside(WalAhead.placeFor(plan.mode(), plan.dataDirectory())), segmentSize(),
                aheadDir().isPresent(), copies);
        List<String> done = new ArrayList<>(new PreChecks(runner).check(plan, backup, extractor, wal(), checkedWal,
                (d, t, m) -> listener.progress(PRECHECKS, d, t, m), cancel));
        if (recheckPlan) {
            PlanRecheck.requireCurrent(repository, plan, ProgressListener.NONE, cancel);
            done.add("planned again, the archive still allows this plan");
        }
        return done;
    }

    private void note(Hint h) {
        notes.add(h.commandLine());
        if (!h.console().equals(h.commandLine())) {
            consoleWords.put(h.commandLine(), h.console());
        }
    }

    /** Notes from before the run (orphans of interrupted restores cleaned up, say), shown in the report. */
    public void addNotes(List<String> earlier) {
        notes.addAll(earlier);
    }

    private void openJournal(Path file) {
        journal = RestoreJournal.open(repository, file, new RestoreJournal.Entry(RestoreJournal.VERSION, id, plan.mode(),
                plan.dataDirectory().toAbsolutePath().normalize().toString(), sandbox.map(s -> s.root().toString()).orElse(null),
                backup.id(), plan.target().describe(), plan.target(), logFile.toString(), plan.port(), wasRunning, Map.of(), null, List.of(),
                RestoreJournal.Owner.current(), Instant.now(), Instant.now()));
    }

    /**
     * The report is saved first: from then on it (not the journal) says what happened. A journal is
     * kept while something is left to undo (old directories not all back, a sandbox not removed),
     * so that 'restore rollback' or the next run can finish the job.
     */
    private void closeJournalIfResolved(RestoreReport report) {
        if (journal == null) {
            return;
        }
        boolean resolved = sandbox.isPresent()
                ? request.keep() || !Files.exists(sandbox.get().root())
                : report.succeeded() || cleanedUp;
        if (!resolved) {
            String stays = "the restore journal " + journal.file() + " stays: ";
            note(Hint.of(stays + "'restore rollback' finishes putting things back",
                    stays + "Roll back this restore (or 'restore rollback' on the command line) finishes putting things back"));
            return;
        }
        try {
            journal.close();
        } catch (RuntimeException e) {
            LOG.warn("restore {}: {}", id, e.getMessage());
        }
    }

    /** Every step begun and finished goes into the journal too, so an interrupted restore says how far it got. */
    private final class JournalledSteps implements RestoreListener {
        @Override
        public void stepStarted(String step) {
            record(step);
            listener.stepStarted(step);
        }

        private void record(String step) {
            if (journal == null) {
                return;
            }
            if (step.equals(TEARDOWN + " done") && !Files.isDirectory(journal.file().toAbsolutePath().getParent())) {
                return; // a rehearsal's journal lives in its sandbox and went with it: nothing is left to record
            }
            try {
                journal.step(step);
            } catch (RuntimeException e) {
                // Cleanup goes on without its journal; any other step stops the restore before it changes more.
                if (!List.of(PUT_BACK, RESTART, TEARDOWN).contains(step.replace(" done", ""))) {
                    throw e;
                }
                LOG.warn("restore {}: {}", id, e.getMessage());
            }
        }

        @Override
        public void progress(String step, long done, long total, String message) {
            listener.progress(step, done, total, message);
        }

        @Override
        public void stepFinished(String step, double seconds) {
            record(step + " done");
            listener.stepFinished(step, seconds);
        }

        @Override
        public void serverLogLine(String line) {
            listener.serverLogLine(line);
        }
    }

    private void prepareInPlace() {
        Path data = plan.dataDirectory();
        wasRunning = Files.exists(data.resolve("postmaster.pid")) && new ClusterControl(installation, runner).isRunning(data);
        // Before the first change: from here on a killed restore leaves a journal that says how to undo it.
        openJournal(RestoreJournal.inPlaceFile(data));
        if (wasRunning) {
            clock.run(STOP, () -> new ClusterControl(installation, runner).stop(data, "fast"));
        }
        List<Path> dirs = new ArrayList<>(List.of(data));
        plan.tablespaces().forEach((oid, dir) -> {
            if (PreChecks.isOriginalLocation(backup, oid, dir)) {
                dirs.add(dir);
            }
        });
        Map<Path, Path> planned = new LinkedHashMap<>();
        dirs.stream().map(d -> d.toAbsolutePath().normalize()).filter(Files::exists).forEach(d -> planned.put(d, DataDirSwap.asideName(d, id)));
        journal.movingAside(planned);
        clock.run(MOVE_ASIDE, () -> {
            swap.moveAside(dirs, id);
            return swap.moved();
        }, Object::toString);
        try {
            Files.createDirectories(data);
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            Files.write(logFile, new byte[0]);
        } catch (IOException e) {
            throw new PitrException("cannot create " + data + ": " + e.getMessage(), "check free space and permissions");
        }
        giveLikeOld(data, false);
        files.giveOne(logFile);
    }

    /** The new directory gets the owner and group of the one it replaces (the server's OS user and its group). */
    private void giveLikeOld(Path dir, boolean tree) {
        Path old = swap.moved().get(dir.toAbsolutePath().normalize());
        if (old == null) {
            if (tree) {
                files.giveTree(dir);
            } else {
                files.giveOne(dir);
            }
        } else {
            files.giveLike(dir, old, tree);
        }
    }

    private void writeSettings() {
        new RecoverySettingsWriter().write(plan.dataDirectory(), plan.recoverySettings(), id);
        if (sandbox.isPresent()) {
            sandbox.get().allowSocketChecks();
            files.giveTree(sandbox.get().root());
            plan.tablespaces().values().stream().filter(Files::isDirectory).forEach(files::giveTree);
        } else {
            giveLikeOld(plan.dataDirectory(), true);
            plan.tablespaces().values().stream().filter(Files::isDirectory).forEach(d -> giveLikeOld(d, true));
        }
    }

    /**
     * Starts fetching the plan's WAL into the restore's own directory while the backup is
     * extracted, when the plan's restore_command takes staged copies.
     */
    private void startWalAhead() {
        Optional<Path> dir = aheadDir();
        if (dir.isEmpty() || plan.walSegments().isEmpty()) {
            return;
        }
        Path data = plan.dataDirectory();
        walAhead = new WalAhead(wal(), plan.walSegments(), dir.get(), segmentSize(),
                f -> files.giveLike(f, data, false), checkedWal);
        walAhead.start(d -> files.giveLike(d, data, false));
    }

    /** Where WAL is staged ahead of the server, when the plan's restore_command takes staged copies. */
    private Optional<Path> aheadDir() {
        return WalAhead.dirFor(plan.mode(), plan.dataDirectory())
                .filter(d -> String.valueOf(plan.settings().get("restore_command")).contains(d.toString()));
    }

    /** Whether the archive holds the segment, plain or compressed (as restore_command would find it). */
    private boolean inArchive(String segment) {
        return wal().list().stream().anyMatch(f -> f.name().equals(segment) || f.name().equals(segment + ".zst")
                || f.name().equals(segment + ".gz"));
    }

    /** The archive's WAL (the catalog side still comes from the layout). */
    private WalStore wal() {
        return repository.wal();
    }

    private void closeWalAhead() {
        if (walAhead != null) {
            LOG.info("restore {}: {} of {} WAL file(s) were staged ahead of the server", id, walAhead.staged(), plan.walSegments().size());
            walAhead.close();
            walAhead = null;
        }
        checkedWal.ifPresent(CheckedWal::close);
    }

    private long segmentSize() {
        return backup.walSegmentSize() == null ? WalSegmentName.DEFAULT_SEGMENT_SIZE : backup.walSegmentSize();
    }

    private RecoveryOutcome recover() {
        WalAhead ahead = walAhead;
        RecoveryOutcome o = server.follow(request.recoveryTimeout(), cancel,
                n -> listener.progress(RECOVERY, n, plan.walSegments().size(), "restored " + n + " WAL file(s)"), line -> {
                    if (ahead != null) {
                        ahead.serverSaid(line);
                    }
                    listener.serverLogLine(line);
                });
        if (!o.succeeded()) {
            throw new PitrException("recovery failed: " + o.failureLine(),
                    "the last server log lines were: " + String.join(" | ", o.logTail().subList(Math.max(0, o.logTail().size() - 5), o.logTail().size())));
        }
        if (o.state() == RecoveryOutcome.State.PAUSED) {
            notes.add("recovery is paused at the target: inspect, then run SELECT pg_wal_replay_resume() to promote, or stop the server");
        }
        return o;
    }

    /**
     * Compares where the server stopped with the plan; short of it is a failed restore, whatever
     * the server thinks: to the latest WAL it cannot tell a missing file from the end of the WAL.
     */
    private RecoveryEndCheck.Verdict checkEnd(RecoveryOutcome o) {
        String replayed = new RestoreChecks(probe()).awaitAnswer("SELECT pg_last_wal_replay_lsn()", Duration.ofSeconds(60), cancel);
        long segmentSize = backup.walSegmentSize() == null ? WalSegmentName.DEFAULT_SEGMENT_SIZE : backup.walSegmentSize();
        RecoveryEndCheck check = new RecoveryEndCheck(plan.target(), plan.walEnd(), plan.walSegments(), segmentSize);
        Lsn end = replayed == null || replayed.isBlank() ? null : Lsn.parse(replayed.strip());
        RecoveryEndCheck.Verdict v = check.judge(o.stoppingLine(), end);
        if (!v.reached()) {
            String now = end == null ? "" : check.firstUnreplayed(end)
                    .map(f -> inArchive(WalAhead.segmentName(f))
                            ? " (it is in the WAL archive)" : " (it is no longer in the WAL archive)").orElse("");
            throw new PitrException(v.detail() + now, v.hint() + " (server log: " + logFile + ")");
        }
        return v;
    }

    private RestoreChecks.Result verify() {
        // the server answered a moment ago, in the check where recovery stopped, which runs first
        return new RestoreChecks(probe()).run(request.verifySchema());
    }

    private SqlProbe probe() {
        return sandbox.isPresent()
                ? SqlProbe.viaSocket(installation, runner, sandbox.get().root(), plan.port(),
                        request.connection().map(c -> c.user()).orElse(runner.serverUser().name()), request.verifyDatabase())
                : SqlProbe.viaConnection(installation, runner, request.connection().orElseThrow(), request.verifyDatabase());
    }

    private void finishSuccess(RecoveryOutcome outcome) {
        if (sandbox.isPresent()) {
            if (request.keep()) {
                String running = "the rehearsal server keeps running on port " + plan.port() + "; ";
                note(Hint.of(running + "'restore discard " + sandbox.get().root() + "' removes it", running + "Discard sandbox removes it"));
            } else {
                clock.run(TEARDOWN, () -> sandbox.get().remove(server.control()));
            }
        } else {
            // Once promoted the settings did their job; left in place they would steer a later standby.signal.
            // A paused server still needs them (restore_command) until it is resumed.
            if (outcome.state() == RecoveryOutcome.State.READY) {
                new RecoverySettingsWriter().removeBlock(plan.dataDirectory());
            }
            swap.moved().forEach((from, to) -> note(Hint.of("the previous " + from + " is kept at " + to
                    + "; 'restore rollback' puts it back, or delete it when the restore is accepted", "the previous " + from + " is kept at "
                    + to + "; Roll back this restore puts it back, or delete it when the restore is accepted")));
        }
    }

    /** After a failure: stops what we started, removes the sandbox or puts the old directories back. True when rolled back. */
    private boolean recoverFromFailure() {
        try {
            if (server != null) {
                server.stopIfRunning("immediate");
            }
        } catch (RuntimeException e) {
            notes.add("could not stop the server started for the restore: " + e.getMessage());
        }
        if (sandbox.isPresent()) {
            if (!request.keep() && Files.exists(sandbox.get().root().resolve(Sandbox.MARKER))) {
                try {
                    clock.run(TEARDOWN, () -> sandbox.get().remove(new ClusterControl(installation, runner)));
                } catch (RuntimeException e) {
                    notes.add("could not remove the sandbox: " + e.getMessage());
                }
            }
            return false;
        }
        if (journal == null) {
            cleanedUp = true;
            return false;
        }
        if (swap.moved().isEmpty()) {
            // Stopped but nothing moved yet: the server goes back to how it was.
            cleanedUp = !wasRunning || oldIsRunning() || restartOld();
            return false;
        }
        if (server != null) {
            recordPromotedTimelineAbandoned();
        }
        List<String> problems = clock.run(PUT_BACK, swap::putBack, p -> p.isEmpty() ? "all put back" : String.join("; ", p));
        if (!problems.isEmpty()) {
            notes.addAll(problems);
            return false;
        }
        cleanedUp = !wasRunning || restartOld();
        return true;
    }

    /**
     * A restored server may have promoted (and archived its history file) before the restore failed,
     * say when recovery stopped short of the plan: the next --latest restore would follow that
     * timeline into the data this rollback throws away. Read before the restored directory goes.
     */
    private void recordPromotedTimelineAbandoned() {
        try {
            List<AbandonedTimeline> abandoned = AbandonedByRollback.record(journal.entry(), null, swap.moved(), repository);
            abandoned.forEach(a -> {
                String recorded = "timeline " + a.timeline() + ", which the failed restore's server was promoted onto, is recorded"
                        + " as abandoned: restores follow it only when ";
                note(Hint.of(recorded + "given --timeline " + a.timeline(),
                        recorded + a.timeline() + " is typed as the Timeline on the Target step"));
            });
        } catch (RuntimeException e) {
            String could = "could not record the timeline the failed restore's server was promoted onto as abandoned: " + e.getMessage();
            note(Hint.of(could + "; run 'windows' and give later restores --timeline explicitly",
                    could + "; look at the Recovery Timeline and type the Timeline on the Target step of later restores"));
        }
    }

    private boolean oldIsRunning() {
        try {
            Path data = plan.dataDirectory();
            return Files.exists(data.resolve("postmaster.pid")) && new ClusterControl(installation, runner).isRunning(data);
        } catch (RuntimeException e) {
            return false;
        }
    }

    /** True when the old server runs again. */
    private boolean restartOld() {
        try {
            clock.run(RESTART, () -> new ClusterControl(installation, runner).start(plan.dataDirectory(), logFile, 300));
            return true;
        } catch (RuntimeException e) {
            notes.add("the old data directory is back but the server did not start: " + e.getMessage());
            return false;
        }
    }
}

package io.pitrconsole.recovery.run;

import io.pitrconsole.archive.AbandonedTimeline;
import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.pg.ClusterControl;
import io.pitrconsole.pg.PgContext;
import io.pitrconsole.pg.ServerUserFiles;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.report.RestoreReports;
import io.pitrconsole.repository.Repository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Restores whose process died before they finished, found through their journals: an in-place
 * one is rolled back (its server stopped, the old directories put back, its timeline recorded as
 * abandoned, the old server started); a rehearsal's sandbox is stopped and removed. Every step
 * can be repeated, so a rollback that is itself killed is simply run again.
 */
public final class InterruptedRestores {
    private static final Logger LOG = LoggerFactory.getLogger(InterruptedRestores.class);
    private static final Duration SETTLE = Duration.ofSeconds(120);
    private static final Duration SETTLE_AFTER_KILLED_START = Duration.ofSeconds(30);
    private static final String ROLLBACK_OF_COMPLETED = "rollback of the completed restore";

    private final Repository repository;
    private final PgContext pg;

    public InterruptedRestores(Repository repository, PgContext pg) {
        this.repository = repository;
        this.pg = pg;
    }

    /** Unresolved in-place journals of the archive (and the one beside dataDir, if given). */
    public List<RestoreJournal.Found> inPlace(Optional<Path> dataDir) {
        return RestoreJournal.unresolved(repository, dataDir).stream().filter(f -> f.entry().inPlace()).toList();
    }

    /**
     * Refuses a run while an interrupted in-place restore is unresolved: of any data directory for
     * an in-place run (its old directories sit aside, its server may be stopped), or of the directory
     * this run would write to.
     */
    public void refuseWhileUnresolved(RestorePlan plan) {
        Path target = plan.dataDirectory().toAbsolutePath().normalize();
        for (RestoreJournal.Found f : RestoreJournal.unresolved(repository, Optional.of(target))) {
            RestoreJournal.Entry e = f.entry();
            boolean sameDir = target.toString().equals(e.dataDirectory());
            if (!e.inPlace() && !sameDir) {
                continue;
            }
            if (plan.mode() != RestoreMode.IN_PLACE && !sameDir) {
                continue;
            }
            if (e.owner() != null && e.owner().alive()) {
                throw new PitrException("restore " + e.restoreId() + " of " + e.dataDirectory() + " is running (pid " + e.owner().pid() + ")",
                        "wait for it to end before starting another restore");
            }
            throw new PitrException("restore " + e.restoreId() + " of " + e.dataDirectory() + " was interrupted at '" + e.step()
                    + "' and is not rolled back (journal " + f.file() + ")",
                    Hint.of("run 'restore rollback --data-dir " + e.dataDirectory() + "' to put the old data directory back and start its server,"
                            + " then restore again",
                            "roll restore " + e.restoreId() + " back to put the old data directory back and start its server ('restore rollback --data-dir "
                                    + e.dataDirectory() + "' on the command line), then restore again"));
        }
    }

    /** Stops and removes the sandboxes of rehearsals whose process died; returns what was done, for the report. */
    public List<String> cleanOrphanRehearsals() {
        List<String> done = new ArrayList<>();
        for (RestoreJournal.Found f : RestoreJournal.unresolved(repository, Optional.empty())) {
            RestoreJournal.Entry e = f.entry();
            if (e.inPlace() || e.sandbox() == null || (e.owner() != null && e.owner().alive())) {
                continue;
            }
            try {
                done.add(discardOrphan(f));
            } catch (PitrException ex) {
                done.add("the sandbox of the interrupted rehearsal " + e.restoreId() + " could not be removed: " + ex.getMessage()
                        + "; 'restore discard " + e.sandbox() + "' tries again");
            }
        }
        return done;
    }

    /** Stops the server of a dead rehearsal's sandbox and deletes the sandbox. */
    public String discardOrphan(RestoreJournal.Found f) {
        RestoreJournal journal = RestoreJournal.resume(repository, f);
        Sandbox s = new Sandbox(Path.of(f.entry().sandbox()));
        stopServer(s.dataDir(), "immediate");
        try {
            io.pitrconsole.core.FileTrees.deleteRecursively(s.root());
        } catch (IOException e) {
            throw new PitrException("could not remove the sandbox " + s.root() + " of the interrupted rehearsal " + f.entry().restoreId()
                    + ": " + e.getMessage(), "remove it by hand");
        }
        journal.close();
        LOG.info("removed the sandbox {} of interrupted rehearsal {}", s.root(), f.entry().restoreId());
        return "the rehearsal " + f.entry().restoreId() + " had been interrupted; its sandbox " + s.root() + " was stopped and removed";
    }

    /** The journal of the sandbox at root, if a rehearsal's process died and left it. */
    public Optional<RestoreJournal.Found> orphanSandbox(Path root) {
        Path file = root.resolve(RestoreJournal.SANDBOX_FILE);
        return RestoreJournal.read(file).filter(e -> !e.inPlace() && (e.owner() == null || !e.owner().alive()))
                .map(e -> new RestoreJournal.Found(file, e));
    }

    /**
     * Undoes an in-place restore that never finished, from its journal. Each step is safe to repeat:
     * an aside directory that still exists holds the old data, so whatever stands in its original
     * place is the restore's and goes.
     */
    public RestoreReport rollBack(RestoreJournal.Found found) {
        RestoreJournal.Entry e = found.entry();
        if (e.owner() != null && e.owner().alive()) {
            throw new PitrException("restore " + e.restoreId() + " is still running (pid " + e.owner().pid() + ")",
                    "an interrupted restore puts the old data directory back by itself; wait for it to end");
        }
        return rollBack(RestoreJournal.resume(repository, found), true);
    }

    /**
     * Rolls back a restore that completed, journalled like an interrupted one: killed half-way, the
     * rollback is finished by the next 'restore rollback', which finds the journal.
     */
    public RestoreReport rollBackCompleted(RestoreReport r) {
        Path data = Path.of(r.dataDirectory()).toAbsolutePath().normalize();
        RestoreJournal journal = RestoreJournal.open(repository, RestoreJournal.inPlaceFile(data), new RestoreJournal.Entry(RestoreJournal.VERSION,
                r.id(), RestoreMode.IN_PLACE, data.toString(), null, r.backup(), r.target(), r.targetDetail(), r.serverLog(), r.port(), true,
                r.movedAside(), null, List.of(), RestoreJournal.Owner.current(), r.startedAt(), Instant.now()));
        journal.step(ROLLBACK_OF_COMPLETED);
        return rollBack(journal, false);
    }

    private RestoreReport rollBack(RestoreJournal journal, boolean resumed) {
        RestoreJournal.Entry e = journal.entry();
        Path data = Path.of(e.dataDirectory());
        Map<Path, Path> aside = new LinkedHashMap<>();
        e.movedAside().forEach((from, to) -> {
            if (Files.isDirectory(Path.of(to), LinkOption.NOFOLLOW_LINKS)) {
                aside.put(Path.of(from), Path.of(to));
            }
        });
        Optional<RestoreReport> saved = new RestoreReports(repository).list().stream().filter(r -> r.id().equals(e.restoreId())).findFirst();
        List<String> notes = new ArrayList<>();
        Map<String, String> consoleWords = new LinkedHashMap<>();
        boolean interrupted = e.steps().stream().noneMatch(s -> s.endsWith(ROLLBACK_OF_COMPLETED));
        if (resumed) {
            notes.add(interrupted
                    ? "restore " + e.restoreId() + " was interrupted at '" + e.step() + "'; rolled back from its journal " + journal.file()
                    : "an earlier rollback of restore " + e.restoreId() + " was interrupted at '" + e.step() + "'; finished from its journal");
        }
        new DataDirProcesses(data).awaitToolsGone(SETTLE);
        List<AbandonedTimeline> abandoned = List.of();
        if (aside.containsKey(data)) {
            journal.step("rollback: stop restored server");
            if (resumed) {
                // An interrupted restore's server may still be recovering: stopped first, its pg_wal says where it got to.
                stopServer(data, "fast");
                abandoned = recordAbandoned(e, saved, aside);
            } else {
                // Recorded first: if this fails nothing was touched, and once the old cluster runs again no
                // restore may silently follow the timeline the restored one was on.
                boolean recorded = false;
                try {
                    abandoned = recordAbandoned(e, saved, aside);
                    recorded = true;
                    stopServer(data, "fast");
                } catch (RuntimeException ex) {
                    // The restored cluster still runs on its timeline: it is not abandoned after all.
                    if (recorded && !abandoned.isEmpty()) {
                        AbandonedTimelines.forget(repository, e.restoreId());
                    }
                    journal.close();
                    throw ex;
                }
            }
            abandoned.forEach(a -> {
                String recorded = "timeline " + a.timeline() + " is recorded as abandoned in the archive: restores follow it only when ";
                notes.add(recorded + "asked with --timeline " + a.timeline());
                consoleWords.put(recorded + "asked with --timeline " + a.timeline(),
                        recorded + a.timeline() + " is typed as the Timeline on the Target step");
            });
        }
        try {
            // the WAL copies the killed restore staged for its server
            io.pitrconsole.core.FileTrees.deleteRecursively(WalAhead.inPlaceDir(data));
            io.pitrconsole.core.FileTrees.deleteRecursively(CheckedWal.dirBeside(WalAhead.inPlaceDir(data)));
        } catch (IOException ex) {
            notes.add("could not remove " + WalAhead.inPlaceDir(data) + ": " + ex.getMessage() + "; remove it by hand");
        }
        if (!aside.isEmpty()) {
            journal.step("rollback: put back " + aside);
            List<String> problems = DataDirSwap.putBack(aside);
            if (!problems.isEmpty()) {
                throw new PitrException("rollback incomplete: " + String.join("; ", problems),
                        Hint.of("put the directories back by hand, then run 'restore rollback' again (journal " + journal.file() + ")",
                                "put the directories back by hand, then click Roll back this restore again (journal " + journal.file() + ")"));
            }
        }
        if (e.wasRunning()) {
            ClusterControl control = control(data);
            if (!(Files.exists(data.resolve("postmaster.pid")) && control.isRunning(data))) {
                journal.step("rollback: start server");
                try {
                    control.start(data, serverLog(e, data), 300);
                } catch (PitrException first) {
                    // A rollback killed while it started this server leaves that server's processes going
                    // away, and until the last is gone it holds the directory's shared memory, so a start
                    // in that moment fails. Once they are gone, one more start says what is really wrong.
                    if (!new DataDirProcesses(data).awaitAllGone(SETTLE_AFTER_KILLED_START)) {
                        throw first;
                    }
                    LOG.info("starting the server on {} failed ({}); its earlier processes are gone now, starting it again", data, first.getMessage());
                    control.start(data, serverLog(e, data), 300);
                }
            }
        }
        RestoreReport done = finalReport(e, saved, notes, interrupted).withConsoleWords(consoleWords);
        new RestoreReports(repository).save(done);
        journal.close();
        return done;
    }

    private List<AbandonedTimeline> recordAbandoned(RestoreJournal.Entry e, Optional<RestoreReport> saved, Map<Path, Path> aside) {
        return AbandonedByRollback.record(e, saved.map(RestoreReport::restoredTimeline).orElse(null), aside, repository);
    }

    /** Waits for a postmaster on dir (even one whose postmaster.pid is not written yet) and stops it. */
    private void stopServer(Path dir, String mode) {
        DataDirProcesses procs = new DataDirProcesses(dir);
        procs.awaitToolsGone(SETTLE);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        ClusterControl control = control(dir);
        for (List<ProcessHandle> left = procs.servers(); !left.isEmpty(); left = procs.servers()) {
            if (System.nanoTime() > deadline) {
                throw new PitrException("the server (pid " + left.get(0).pid() + ") on " + dir + " does not stop",
                        Hint.of("stop it by hand (pg_ctl -D " + dir + " stop -m immediate), then run the command again",
                                "stop it by hand (pg_ctl -D " + dir + " stop -m immediate), then try again"));
            }
            if (Files.exists(dir.resolve("postmaster.pid")) && running(control, dir)) {
                try {
                    control.stop(dir, mode);
                } catch (RuntimeException ex) {
                    LOG.warn("stopping the server on {} ({}) failed: {}; stopping it immediately", dir, mode, ex.getMessage());
                    control.stop(dir, "immediate");
                }
            } else {
                DataDirProcesses.pause();
            }
        }
    }

    private static boolean running(ClusterControl control, Path dir) {
        try {
            return control.isRunning(dir);
        } catch (PitrException half) {
            return false;
        }
    }

    private Path serverLog(RestoreJournal.Entry e, Path data) {
        Path log = e.serverLog() != null ? Path.of(e.serverLog()) : data.resolveSibling(data.getFileName() + ".pitr-" + e.restoreId() + ".log");
        try {
            if (!Files.exists(log)) {
                Files.write(log, new byte[0]);
            }
        } catch (IOException ex) {
            throw new PitrException("cannot create the server log " + log + ": " + ex.getMessage(), "check permissions beside " + data);
        }
        new ServerUserFiles(pg.serverUser()).giveOne(log);
        return log;
    }

    private ClusterControl control(Path dataDir) {
        Optional<Integer> major;
        try {
            major = Optional.of(Integer.valueOf(Files.readString(dataDir.resolve("PG_VERSION")).trim()));
        } catch (IOException | NumberFormatException ex) {
            major = Optional.empty();
        }
        return new ClusterControl(pg.installation(major), pg.runner());
    }

    private RestoreReport finalReport(RestoreJournal.Entry e, Optional<RestoreReport> saved, List<String> notes, boolean interrupted) {
        List<String> allNotes = new ArrayList<>(saved.map(RestoreReport::notes).orElse(List.of()));
        allNotes.addAll(notes);
        String error = saved.map(RestoreReport::error).orElse(interrupted ? "the restore was interrupted at '" + e.step() + "' (its process died)" : null);
        String hint = saved.map(RestoreReport::hint).orElse(interrupted ? "the old data directory is back and its server runs as before" : null);
        // what the run measured (steps, checks, row counts) stays; who, where and how it ended come from the journal
        return saved.map(RestoreReport::toBuilder).orElseGet(RestoreReport::builder)
                .id(e.restoreId()).status(RestoreReport.ROLLED_BACK).mode(e.mode()).backup(e.backup()).target(e.target())
                .targetDetail(e.targetDetail()).dataDirectory(e.dataDirectory()).port(e.port()).kept(false).startedAt(e.startedAt())
                .finishedAt(Instant.now()).serverLog(e.serverLog()).sandbox(null).movedAside(e.movedAside()).rolledBack(true)
                .notes(allNotes).error(error).hint(hint).build();
    }
}

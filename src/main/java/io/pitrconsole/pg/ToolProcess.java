package io.pitrconsole.pg;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A program started in a process group of its own, so that everything it forks (pg_basebackup's
 * WAL-streaming child) can be ended together. Two things end the group: this JVM, when the work
 * fails, is cancelled or the JVM shuts down; and a small guard process that waits on a pipe from
 * this JVM, which reaches end-of-file however the JVM dies, even by SIGKILL, when no code of ours
 * can run. The guard sends the group SIGTERM and, after a grace period, SIGKILL.
 *
 * <p>The guard needs the group's id, which exists only once the program's process does; so the
 * process starts as a shell in its new session that runs the program only when this JVM says
 * "go", and this JVM says it after the guard runs. A JVM that dies before that leaves a shell
 * that reads end-of-file and exits: no program ever runs unguarded. (Before, a JVM killed in
 * that instant left pg_basebackup running; it died of SIGPIPE at its next progress line, and its
 * WAL-streaming child, which nothing tells of its parent's death, streamed on for good.)
 */
final class ToolProcess {
    private static final Logger LOG = LoggerFactory.getLogger(ToolProcess.class);
    /** How long the group gets between SIGTERM and SIGKILL. */
    static final Duration TERM_GRACE = Duration.ofSeconds(5);
    // Ignores the terminal's and a service manager's signals: it must outlive the JVM to do its job.
    // "kill -SIG -PGID" without "--": dash's kill takes no "--" and bash's needs none.
    private static final String GUARD_SCRIPT = "trap '' INT HUP TERM QUIT; read _; "
            + "kill -TERM -\"$1\" 2>/dev/null || exit 0; sleep \"$2\"; kill -KILL -\"$1\" 2>/dev/null; exit 0";
    // Runs in the new session: the program only after a "go" line, with standard input from /dev/null;
    // end-of-file first (this JVM is gone, or could not start the guard) ends it without the program.
    private static final String LAUNCH_SCRIPT = "IFS= read -r go && [ \"$go\" = go ] && exec \"$@\" </dev/null; exit 1";
    private static final Duration GUARD_QUICK_EXIT = Duration.ofMillis(250);

    private final Process process;
    private final Process guard;
    private final Thread shutdownHook;
    private volatile boolean held;
    /** Set (before the kill) when this JVM's own shutdown stopped the program. */
    private volatile boolean stoppedByShutdown;
    private boolean stopping;

    private ToolProcess(Process process, Process guard) {
        this.process = process;
        this.guard = guard;
        this.shutdownHook = new Thread(() -> {
            stoppedByShutdown = true;
            stopAndWait(TERM_GRACE.plusSeconds(5));
        }, "stop-" + process.pid());
        try {
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // started by clean-up work during shutdown (a rollback's pg_ctl): the guard alone ends its group
        }
    }

    /**
     * Whether this JVM's shutdown (a kill, Ctrl-C) stopped the program: its death by signal is then
     * an interruption, not something outside the console ending it. The shutdown hooks run at once,
     * so this one may kill the program before the command's own cancellation is set.
     */
    boolean stoppedByShutdown() {
        return stoppedByShutdown;
    }

    /**
     * Starts the command line in a new session (util-linux setsid, so the program leads its own
     * process group) with standard input from /dev/null, and its guard beside it; the program runs
     * only once the guard does. PGPASSWORD is never passed on: passwords come from the password
     * file only.
     */
    static ToolProcess start(List<String> argv, Map<String, String> env, Optional<java.nio.file.Path> workDir) throws IOException {
        List<String> inSession = new ArrayList<>(List.of("setsid", "--", "sh", "-c", LAUNCH_SCRIPT, "pitr-console-launch"));
        inSession.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(inSession);
        pb.environment().putAll(env);
        scrub(pb.environment());
        workDir.ifPresent(d -> pb.directory(d.toFile()));
        Process process = pb.start();
        Process guard;
        try {
            ProcessBuilder gb = new ProcessBuilder("sh", "-c", GUARD_SCRIPT, "pitr-console-guard",
                    Long.toString(process.pid()), Long.toString(TERM_GRACE.toSeconds()));
            scrub(gb.environment());
            guard = gb.redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            process.getOutputStream().close(); // no "go": the shell exits without running the program
            throw e;
        }
        // a stop right after this returns must find the group, so the session exists before the program runs
        awaitOwnGroup(process);
        try (var go = process.getOutputStream()) {
            go.write("go\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // the shell is gone before it could run the program (killed); its exit status tells the caller
            LOG.debug("process {} did not take its go: {}", process.pid(), e.getMessage());
        }
        return new ToolProcess(process, guard);
    }

    /** Removes what must never reach a PostgreSQL program from its environment. */
    static void scrub(Map<String, String> environment) {
        if (environment.remove("PGPASSWORD") != null) {
            LOG.debug("PGPASSWORD is not passed on; PostgreSQL programs read passwords from ~/.pgpass or PGPASSFILE");
        }
    }

    Process process() {
        return process;
    }

    long processGroup() {
        return process.pid();
    }

    /**
     * Holds the program itself (SIGSTOP) or lets it go on (SIGCONT); its children run on. A held
     * program only blocks on what it would write, so a reader can catch up with it.
     */
    synchronized void hold(boolean hold) {
        if (held == hold || (hold && stopping) || !process.isAlive()) {
            return;
        }
        try {
            Process k = new ProcessBuilder("kill", hold ? "-STOP" : "-CONT", Long.toString(process.pid()))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor();
            held = hold;
        } catch (IOException e) {
            LOG.debug("could not {} process {}: {}", hold ? "hold" : "continue", process.pid(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Asks the guard to end the group now (SIGTERM, SIGKILL after the grace period); returns at once. */
    void stop() {
        // a held program would take SIGTERM only once continued; and it is not held again
        synchronized (this) {
            stopping = true;
            hold(false);
        }
        try {
            guard.getOutputStream().close();
        } catch (IOException e) {
            LOG.debug("closing the guard's pipe: {}", e.getMessage());
        }
        if (!guard.isAlive() && !ProcessTable.runningMembers(processGroup()).isEmpty()) {
            // the guard is gone (someone killed it): signal the members from here
            signalMembers(processGroup(), false);
        }
    }

    /** Ends the group and waits until none of its processes runs; true when that happened in time. */
    boolean stopAndWait(Duration timeout) {
        stop();
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        boolean forced = false;
        while (!ProcessTable.runningMembers(processGroup()).isEmpty()) {
            long now = System.nanoTime();
            if (now > deadline) {
                signalMembers(processGroup(), true);
                LOG.warn("processes of group {} still ran {} s after they were told to stop; killed them", processGroup(), timeout.toSeconds());
                return false;
            }
            if (!forced && !guard.isAlive() && now - start > TERM_GRACE.toNanos()) {
                signalMembers(processGroup(), true);
                forced = true;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                signalMembers(processGroup(), true);
                return false;
            }
        }
        return true;
    }

    /**
     * The program is done with: whatever of its group is left is ended before this returns, so
     * nothing it started writes on into files the caller is about to move or remove.
     */
    void release() {
        stop();
        boolean groupWasEmpty;
        try {
            // the guard exits at once when its SIGTERM finds no process in the group; else it waits out the grace
            groupWasEmpty = guard.waitFor(GUARD_QUICK_EXIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            groupWasEmpty = false;
        }
        if (!groupWasEmpty) {
            stopAndWait(TERM_GRACE.plusSeconds(10));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs now and stops the group itself
        }
    }

    /**
     * setsid makes the new session a moment after its process starts; until then a signal to the
     * group would reach nobody, so wait for it (or for the process to have exited already).
     */
    private static void awaitOwnGroup(Process process) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (System.nanoTime() < deadline) {
            Optional<ProcessTable.Entry> e = ProcessTable.entry(process.pid());
            if (e.isEmpty() || !e.get().running() || e.get().processGroup() == process.pid()) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.warn("process {} did not start a session of its own within 5 s", process.pid());
    }

    // The fallback when the guard cannot do it: one signal per member, which a process forking at that instant could escape.
    private static void signalMembers(long group, boolean kill) {
        for (long pid : ProcessTable.runningMembers(group)) {
            ProcessHandle.of(pid).ifPresent(h -> {
                if (kill) {
                    h.destroyForcibly();
                } else {
                    h.destroy();
                }
            });
        }
    }
}

package io.pitrconsole.recovery.run;

import io.pitrconsole.core.PitrException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The pg_ctl and postmaster processes working on one data directory, found by their command
 * lines. A restore killed with -9 leaves its children behind: a pg_ctl still starting or stopping
 * a server, a postmaster forked a moment before whose postmaster.pid is not written yet. Whoever
 * cleans up after it waits for them before touching the directory.
 */
final class DataDirProcesses {
    private final String dataDir;

    DataDirProcesses(Path dataDir) {
        this.dataDir = dataDir.toAbsolutePath().normalize().toString();
    }

    /** pg_ctl runs (and the runuser/su wrapping them) that name the directory. */
    List<ProcessHandle> tools() {
        return matching(args -> Arrays.stream(args).anyMatch(a -> a.endsWith("pg_ctl")));
    }

    /** Postmasters started on the directory (their children rename themselves and do not match). */
    List<ProcessHandle> servers() {
        return matching(args -> args.length > 0 && args[0].endsWith("postgres"));
    }

    /** Waits until no pg_ctl works on the directory any more. */
    void awaitToolsGone(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (List<ProcessHandle> left = tools(); !left.isEmpty(); left = tools()) {
            if (System.nanoTime() > deadline) {
                throw new PitrException("pg_ctl (pid " + left.get(0).pid() + ") still works on " + dataDir + " after " + timeout.toSeconds() + " s",
                        "wait until it ends, then run the command again");
            }
            pause();
        }
    }

    /**
     * Waits until no process works inside the directory (a postmaster and its children run with it
     * as their working directory, whatever they renamed themselves to); false when some still do at
     * the timeout. Processes this user may not look into are not counted.
     */
    boolean awaitAllGone(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Boolean> any = anyInside();
            if (any.isEmpty()) {
                return false;
            }
            if (!any.get()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            pause();
        }
    }

    private Optional<Boolean> anyInside() {
        Path dir;
        try {
            // the kernel shows a working directory with its links resolved
            dir = Path.of(dataDir).toRealPath();
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        long self = ProcessHandle.current().pid();
        try (var procs = java.nio.file.Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path p : procs) {
                if (p.getFileName().toString().equals(Long.toString(self))) {
                    continue;
                }
                try {
                    if (java.nio.file.Files.readSymbolicLink(p.resolve("cwd")).equals(dir)) {
                        return Optional.of(true);
                    }
                } catch (java.io.IOException e) {
                    // ended while it was looked at, or another user's: not one this user's server left
                }
            }
        } catch (java.io.IOException e) {
            return Optional.empty();
        }
        return Optional.of(false);
    }

    private List<ProcessHandle> matching(Predicate<String[]> kind) {
        long self = ProcessHandle.current().pid();
        return ProcessHandle.allProcesses()
                .filter(h -> h.pid() != self)
                .filter(h -> {
                    String[] args = commandLine(h);
                    return args.length > 0 && Arrays.asList(args).contains(dataDir) && kind.test(args);
                })
                .toList();
    }

    private static String[] commandLine(ProcessHandle h) {
        ProcessHandle.Info info = h.info();
        String cmd = info.command().orElse("");
        String[] args = info.arguments().orElse(new String[0]);
        String[] all = new String[args.length + 1];
        all[0] = cmd;
        System.arraycopy(args, 0, all, 1, args.length);
        return all;
    }

    static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PitrException("interrupted while waiting for the server's processes", "run the command again");
        }
    }
}

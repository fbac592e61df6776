package io.pitrconsole.pg;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs PostgreSQL programs. Streams their stderr line by line into the log (and to a listener,
 * e.g. for pg_basebackup's progress), can be cancelled, and turns a non-zero exit into a
 * {@link PgToolException} whose hint says what to do. Each program runs in a process group of
 * its own that is ended on cancel, on failure, when the JVM exits and when it dies (see
 * {@link ToolProcess}); waiting for a program never outlasts its exit by more than a short grace.
 */
public final class PgToolRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PgToolRunner.class);
    private static final int TAIL_LINES = 20;

    private final OsUser serverUser;

    public PgToolRunner(OsUser serverUser) {
        this.serverUser = serverUser;
    }

    public OsUser serverUser() {
        return serverUser;
    }

    /** Runs the command to completion and returns its result; throws on a non-zero exit. */
    public ToolResult run(ToolCommand command, Cancellation cancellation, Consumer<String> stderrListener) {
        return start(command, cancellation, stderrListener).await();
    }

    public ToolResult run(ToolCommand command) {
        return run(command, Cancellation.none(), line -> { });
    }

    /** Runs the command and returns its result whatever the exit code (cancellation still throws). */
    public ToolResult runAllowingFailure(ToolCommand command, Cancellation cancellation, Consumer<String> stderrListener) {
        return start(command, cancellation, stderrListener).awaitAllowingFailure();
    }

    /** Starts the command in a process group of its own and returns at once; the caller must await it. */
    public RunningTool start(ToolCommand command, Cancellation cancellation, Consumer<String> stderrListener) {
        List<String> argv = new ArrayList<>();
        argv.add(command.program().toString());
        argv.addAll(command.args());
        if (command.asServerUser()) {
            // runuser inside the new session: the program and runuser share one group that this console can end
            argv = serverUser.wrap(argv);
        }
        LOG.debug("running: {}{}", command.asServerUser() && serverUser.switchesUser() ? "(as " + serverUser.name() + ") " : "",
                command.printable());
        ToolProcess tool;
        try {
            // the launch would start and then fail to run a missing program; say so before anything starts
            if (command.program().isAbsolute() && !java.nio.file.Files.isExecutable(command.program())) {
                throw new IOException("no executable file " + command.program());
            }
            tool = ToolProcess.start(argv, command.env(), command.workDir());
        } catch (IOException e) {
            throw new PitrException("could not start " + command.name() + ": " + e.getMessage(),
                    Hint.of("check that " + command.program() + " exists and is executable (or pass --pg-bin), and that setsid (util-linux) is installed",
                            "check that " + command.program() + " exists and is executable (or set the profile's PostgreSQL bin directory under"
                                    + " Settings), and that setsid (util-linux) is installed"), e);
        }
        return new RunningTool(command, tool, cancellation, stderrListener);
    }

    /** A started PostgreSQL program; await() collects its result. */
    public static final class RunningTool {
        /** How long the output pipes may stay open after the program exited before its group is ended. */
        private static final Duration PIPE_GRACE = Duration.ofSeconds(1);
        private static final Duration GROUP_STOP_WAIT = ToolProcess.TERM_GRACE.plusSeconds(10);

        private final ToolCommand command;
        private final ToolProcess tool;
        private final Cancellation cancellation;
        private final Runnable unregister;
        private final Deque<String> tail = new ArrayDeque<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final OutputPump outPump;
        private final OutputPump errPump;

        private RunningTool(ToolCommand command, ToolProcess tool, Cancellation cancellation, Consumer<String> stderrListener) {
            this.command = command;
            this.tool = tool;
            this.cancellation = cancellation;
            this.outPump = OutputPump.start(command.name() + "-stdout", tool.process().getInputStream(), in -> in.transferTo(out));
            this.errPump = OutputPump.start(command.name() + "-stderr", tool.process().getErrorStream(), in -> pumpLines(in, line -> {
                LOG.debug("{}: {}", command.name(), line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                stderrListener.accept(line);
            }));
            this.unregister = cancellation.onCancel(() -> tool.stopAndWait(GROUP_STOP_WAIT));
        }

        /** Waits for the program; throws a {@link PgToolException} with a hint on a non-zero exit. */
        public ToolResult await() {
            ToolResult result = awaitAllowingFailure();
            if (result.exitCode() != 0) {
                throw failure(command, result);
            }
            return result;
        }

        /**
         * Waits for the program and returns its result whatever the exit code. Returns soon after
         * the program exits even when a child of it still holds its output open: that child is
         * ended with the rest of the program's process group.
         */
        public ToolResult awaitAllowingFailure() {
            try {
                int code = tool.process().waitFor();
                long graceEnd = System.nanoTime() + PIPE_GRACE.toNanos();
                boolean drained = outPump.awaitEnd(PIPE_GRACE) && errPump.awaitEnd(Duration.ofNanos(Math.max(0, graceEnd - System.nanoTime())));
                if (!drained) {
                    LOG.info("{} exited (code {}) but processes it started still hold its output; ending its process group",
                            command.name(), code);
                    tool.stopAndWait(GROUP_STOP_WAIT);
                    outPump.awaitEnd(PIPE_GRACE);
                    errPump.awaitEnd(PIPE_GRACE);
                }
                if (cancellation.isCancelled()) {
                    tool.stopAndWait(GROUP_STOP_WAIT);
                }
                cancellation.throwIfCancelled(command.name());
                if (code != 0 && tool.stoppedByShutdown()) {
                    throw new Cancellation.CancelledException(command.name() + " was interrupted: this process is being stopped");
                }
                synchronized (tail) {
                    return new ToolResult(code, out.toString(StandardCharsets.UTF_8), new ArrayList<>(tail));
                }
            } catch (InterruptedException e) {
                tool.stopAndWait(GROUP_STOP_WAIT);
                Thread.currentThread().interrupt();
                throw new Cancellation.CancelledException(command.name() + " was interrupted");
            } finally {
                unregister.run();
                tool.release();
            }
        }

        /**
         * Holds the program itself (not the processes it started) until {@link #resume()}: it blocks on
         * what it would write, and its server waits. For a reader of its output that falls behind.
         */
        public void pause() {
            tool.hold(true);
        }

        /** Lets a paused program go on. */
        public void resume() {
            tool.hold(false);
        }

        /** What the program wrote to standard output, byte for byte (for programs whose output is not text); complete after await. */
        public byte[] stdoutBytes() {
            return out.toByteArray();
        }

        /** Stops the program and everything it started (used when a step after starting it fails). */
        public void kill() {
            tool.stopAndWait(GROUP_STOP_WAIT);
        }

        /** The process group the program leads; every process it starts is in it. */
        public long processGroup() {
            return tool.processGroup();
        }
    }

    private static PgToolException failure(ToolCommand command, ToolResult result) {
        List<String> lines = result.stderrTail().stream().filter(l -> !l.isBlank()).toList();
        // PostgreSQL's programs exit with small codes; 128 + n means signal n ended the program
        if (result.exitCode() > 128 && result.exitCode() < 128 + 32) {
            int signal = result.exitCode() - 128;
            return new PgToolException(command.name() + " was killed by signal " + signal + signalName(signal) + " before it finished",
                    "something outside this console ended it (an administrator, the out-of-memory killer, a shutdown); "
                            + "check the system log, then run the command again", result.exitCode(), lines);
        }
        String last = lines.stream()
                .filter(l -> l.contains("error") || l.contains("FATAL") || l.contains("could not"))
                .reduce((a, b) -> b)
                .orElse(lines.isEmpty() ? "exit code " + result.exitCode() : lines.get(lines.size() - 1));
        String message = command.name() + " failed: " + last.replaceFirst("^" + command.name() + ":\\s*", "").strip();
        String hint = FailureHints.hintFor(lines).orElse("run with --verbose to see the full output of " + command.name());
        return new PgToolException(message, hint, result.exitCode(), lines);
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 1 -> " (SIGHUP)";
            case 2 -> " (SIGINT)";
            case 3 -> " (SIGQUIT)";
            case 6 -> " (SIGABRT)";
            case 9 -> " (SIGKILL)";
            case 11 -> " (SIGSEGV)";
            case 13 -> " (SIGPIPE)";
            case 15 -> " (SIGTERM)";
            default -> "";
        };
    }

    private static void pumpLines(InputStream in, Consumer<String> sink) {
        // pg_basebackup redraws its progress line with '\r', so both '\r' and '\n' end a line.
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            StringBuilder line = new StringBuilder();
            int c;
            while ((c = r.read()) != -1) {
                if (c == '\n' || c == '\r') {
                    if (line.length() > 0) {
                        sink.accept(line.toString());
                        line.setLength(0);
                    }
                } else {
                    line.append((char) c);
                }
            }
            if (line.length() > 0) {
                sink.accept(line.toString());
            }
        } catch (IOException ignored) {
            // The process went away; its exit code tells the rest.
        }
    }
}

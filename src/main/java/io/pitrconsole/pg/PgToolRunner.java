package io.pitrconsole.pg;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs PostgreSQL programs. Streams their stderr line by line into the log (and to a listener,
 * e.g. for pg_basebackup's progress), can be cancelled, and turns a non-zero exit into a
 * {@link PgToolException} whose hint says what to do.
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

    /** Starts the command and returns at once; the caller must await it. */
    public RunningTool start(ToolCommand command, Cancellation cancellation, Consumer<String> stderrListener) {
        List<String> argv = new ArrayList<>();
        argv.add(command.program().toString());
        argv.addAll(command.args());
        if (command.asServerUser()) {
            argv = serverUser.wrap(argv);
        }
        LOG.debug("running: {}{}", command.asServerUser() && serverUser.switchesUser() ? "(as " + serverUser.name() + ") " : "",
                command.printable());
        ProcessBuilder pb = new ProcessBuilder(argv);
        pb.environment().putAll(command.env());
        command.workDir().ifPresent(d -> pb.directory(d.toFile()));
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new PitrException("could not start " + command.name() + ": " + e.getMessage(),
                    "check that " + command.program() + " exists and is executable (or pass --pg-bin)", e);
        }
        return new RunningTool(command, process, cancellation, stderrListener);
    }

    /** A started PostgreSQL program; await() collects its result. */
    public static final class RunningTool {
        private final ToolCommand command;
        private final Process process;
        private final Cancellation cancellation;
        private final Runnable unregister;
        private final Deque<String> tail = new ArrayDeque<>();
        private final Thread errPump;

        private RunningTool(ToolCommand command, Process process, Cancellation cancellation, Consumer<String> stderrListener) {
            this.command = command;
            this.process = process;
            this.cancellation = cancellation;
            this.unregister = cancellation.onCancel(() -> terminate(process));
            this.errPump = new Thread(() -> pumpLines(process.getErrorStream(), line -> {
                LOG.debug("{}: {}", command.name(), line);
                synchronized (tail) {
                    tail.addLast(line);
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
                stderrListener.accept(line);
            }), command.name() + "-stderr");
            errPump.setDaemon(true);
            errPump.start();
        }

        /** Waits for the program; throws a {@link PgToolException} with a hint on a non-zero exit. */
        public ToolResult await() {
            ToolResult result = awaitAllowingFailure();
            if (result.exitCode() != 0) {
                throw failure(command, result);
            }
            return result;
        }

        /** Waits for the program and returns its result whatever the exit code. */
        public ToolResult awaitAllowingFailure() {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (InputStream in = process.getInputStream()) {
                in.transferTo(out);
                int code = process.waitFor();
                errPump.join(5_000);
                cancellation.throwIfCancelled(command.name());
                synchronized (tail) {
                    return new ToolResult(code, out.toString(StandardCharsets.UTF_8), new ArrayList<>(tail));
                }
            } catch (IOException e) {
                terminate(process);
                // a cancel stops the program and closes its pipes under the reader: that is the cancel, not a lost pipe
                cancellation.throwIfCancelled(command.name());
                throw new PitrException("lost the output of " + command.name() + ": " + e.getMessage(), "run the command again", e);
            } catch (InterruptedException e) {
                terminate(process);
                Thread.currentThread().interrupt();
                throw new Cancellation.CancelledException(command.name() + " was interrupted");
            } finally {
                unregister.run();
            }
        }

        /** Stops the program (used when a step after starting it fails). */
        public void kill() {
            terminate(process);
        }
    }

    private static PgToolException failure(ToolCommand command, ToolResult result) {
        List<String> lines = result.stderrTail().stream().filter(l -> !l.isBlank()).toList();
        String last = lines.stream()
                .filter(l -> l.contains("error") || l.contains("FATAL") || l.contains("could not"))
                .reduce((a, b) -> b)
                .orElse(lines.isEmpty() ? "exit code " + result.exitCode() : lines.get(lines.size() - 1));
        String message = command.name() + " failed: " + last.replaceFirst("^" + command.name() + ":\\s*", "").strip();
        String hint = FailureHints.hintFor(lines).orElse("run with --verbose to see the full output of " + command.name());
        return new PgToolException(message, hint, result.exitCode(), lines);
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

    private static void terminate(Process process) {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}

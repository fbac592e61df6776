package io.pitrconsole.recovery.run;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Reads a starting server's log from where it stood when the server was started, until recovery
 * reaches its target ("recovery stopping ...", then "pausing at the end of recovery" or "database
 * system is ready to accept connections") or fails (FATAL "recovery ended before configured
 * recovery target was reached", or any other fatal startup error, or the server going away).
 */
public final class ServerLogFollower {
    private static final int TAIL = 40;
    private static final String[] CLIENT_FATALS = {
        "the database system is starting up", "the database system is not yet accepting connections",
        "the database system is in recovery mode", "authentication failed", "does not exist",
        "no pg_hba.conf entry", "terminating connection"};

    private final Path logFile;
    private final long startOffset;

    /** Follows logFile from its current end (call before starting the server). */
    public ServerLogFollower(Path logFile) {
        this.logFile = logFile;
        long size;
        try {
            size = Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            size = 0;
        }
        this.startOffset = size;
    }

    /** Waits for the outcome; serverAlive is asked when the log is quiet, segments counts restored files. */
    public RecoveryOutcome await(Duration timeout, Cancellation cancellation, BooleanSupplier serverAlive, IntConsumer segments) {
        return await(timeout, cancellation, serverAlive, segments, line -> { });
    }

    /** As above, and hands every log line read to lines (for a live log view). */
    public RecoveryOutcome await(Duration timeout, Cancellation cancellation, BooleanSupplier serverAlive, IntConsumer segments,
                                 Consumer<String> lineSink) {
        long deadline = System.nanoTime() + timeout.toNanos();
        long offset = startOffset;
        StringBuilder partial = new StringBuilder();
        Deque<String> tail = new ArrayDeque<>();
        String stopping = null;
        int restored = 0;
        int quietRounds = 0;
        while (true) {
            cancellation.throwIfCancelled("waiting for recovery");
            List<String> lines = new ArrayList<>();
            offset = readNew(offset, partial, lines);
            for (String line : lines) {
                lineSink.accept(line);
                tail.addLast(line);
                if (tail.size() > TAIL) {
                    tail.removeFirst();
                }
                if (line.contains("restored log file \"")) {
                    segments.accept(++restored);
                }
                if (line.contains("recovery stopping ")) {
                    stopping = stripPrefix(line);
                }
                // Without a target (latest) there is no "recovery stopping" line; where redo ended says it instead.
                if (stopping == null && line.contains("redo done at ")) {
                    stopping = stripPrefix(line);
                }
                if (line.contains("recovery ended before configured recovery target was reached")) {
                    return new RecoveryOutcome(RecoveryOutcome.State.FAILED, stopping, stripPrefix(line), restored, List.copyOf(tail));
                }
                if (line.contains("pausing at the end of recovery")) {
                    return new RecoveryOutcome(RecoveryOutcome.State.PAUSED, stopping, null, restored, List.copyOf(tail));
                }
                if (line.contains("database system is ready to accept connections")) {
                    return new RecoveryOutcome(RecoveryOutcome.State.READY, stopping, null, restored, List.copyOf(tail));
                }
                if (isFatal(line)) {
                    return new RecoveryOutcome(RecoveryOutcome.State.FAILED, stopping, stripPrefix(line), restored, List.copyOf(tail));
                }
            }
            if (lines.isEmpty()) {
                quietRounds++;
                // Asking for the process costs a fork; the log answers most of the time (once a second is enough).
                if (quietRounds % 50 == 0 && !serverAlive.getAsBoolean()) {
                    readNew(offset, partial, lines);
                    String why = lines.isEmpty() ? "the server stopped without saying why in " + logFile : stripPrefix(lines.get(lines.size() - 1));
                    return new RecoveryOutcome(RecoveryOutcome.State.FAILED, stopping, why, restored, List.copyOf(tail));
                }
            } else {
                quietRounds = 0;
            }
            if (System.nanoTime() > deadline) {
                throw new PitrException("recovery did not finish within " + timeout.toSeconds() + " s",
                        Hint.of("see the server log " + logFile + "; a slow archive or a large amount of WAL may need a longer --timeout",
                                "see the server log " + logFile + "; a slow archive or a large amount of WAL may need a longer wait"
                                        + " ('restore run --timeout' on the command line)"));
            }
            try {
                // the log is read where the last read stopped: looking every 20 ms costs little, and the
                // restore learns that recovery ended about 40 ms sooner on average than at 100 ms
                Thread.sleep(lines.isEmpty() ? 20 : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Cancellation.CancelledException("waiting for recovery was interrupted");
            }
        }
    }

    static boolean isFatal(String line) {
        if (!(line.contains("FATAL:") || line.contains("PANIC:"))) {
            return false;
        }
        for (String c : CLIENT_FATALS) {
            if (line.contains(c)) {
                return false;
            }
        }
        return true;
    }

    /** Drops the log_line_prefix (time, pid) so the report shows the message. */
    static String stripPrefix(String line) {
        int i = line.indexOf("LOG:");
        for (String level : new String[] {"FATAL:", "PANIC:", "ERROR:", "LOG:"}) {
            int j = line.indexOf(level);
            if (j >= 0) {
                i = j;
                break;
            }
        }
        return i >= 0 ? line.substring(i).replaceAll("\\s+", " ").strip() : line.strip();
    }

    private long readNew(long offset, StringBuilder partial, List<String> lines) {
        if (!Files.exists(logFile)) {
            return offset;
        }
        try (RandomAccessFile f = new RandomAccessFile(logFile.toFile(), "r")) {
            long len = f.length();
            if (len <= offset) {
                return offset;
            }
            byte[] buf = new byte[(int) Math.min(len - offset, 1 << 20)];
            f.seek(offset);
            f.readFully(buf);
            partial.append(new String(buf, StandardCharsets.UTF_8));
            int nl;
            while ((nl = partial.indexOf("\n")) >= 0) {
                lines.add(partial.substring(0, nl));
                partial.delete(0, nl + 1);
            }
            return offset + buf.length;
        } catch (IOException e) {
            throw new PitrException("cannot read the server log " + logFile + ": " + e.getMessage(), "check its permissions");
        }
    }
}

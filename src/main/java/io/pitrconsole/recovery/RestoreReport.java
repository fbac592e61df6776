package io.pitrconsole.recovery;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one restore did, saved as JSON and text under the archive's .pitr/reports/.
 *
 * @param reachedTarget the server's own "recovery stopping ..." line, or how recovery ended
 * @param rtoSeconds    from the start of the run until the restored cluster answered the checks
 * @param movedAside    in place: each original directory and where it was moved aside (kept for rollback)
 * @param rolledBack    in place: the original directories were put back after a failure or by 'restore rollback'
 * @param consoleWords  the console's wording of the notes and the hint that name commands or flags, keyed by their
 *                      command-line wording; kept out of the report's JSON (the command line prints that), saved
 *                      beside it by {@link RestoreReports}; empty for reports saved before it existed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record RestoreReport(
        String id,
        String status,
        RestoreMode mode,
        String backup,
        String target,
        RecoveryTarget targetDetail,
        String dataDirectory,
        Integer port,
        boolean kept,
        Instant startedAt,
        Instant finishedAt,
        List<Step> steps,
        String reachedTarget,
        Integer restoredTimeline,
        List<Check> checks,
        Map<String, Long> rowCounts,
        Double rtoSeconds,
        long bytesExtracted,
        int walSegmentsRestored,
        String serverLog,
        String sandbox,
        Map<String, String> movedAside,
        boolean rolledBack,
        List<String> notes,
        String error,
        String hint,
        @JsonIgnore Map<String, String> consoleWords) {

    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";
    public static final String ROLLED_BACK = "rolled back";

    public RestoreReport {
        steps = steps == null ? List.of() : List.copyOf(steps);
        checks = checks == null ? List.of() : List.copyOf(checks);
        rowCounts = rowCounts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(rowCounts));
        movedAside = movedAside == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(movedAside));
        notes = notes == null ? List.of() : List.copyOf(notes);
        consoleWords = consoleWords == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(consoleWords));
    }

    /** A report whose notes and hint read the same on the command line and in the console. */
    public RestoreReport(String id, String status, RestoreMode mode, String backup, String target, RecoveryTarget targetDetail,
                         String dataDirectory, Integer port, boolean kept, Instant startedAt, Instant finishedAt, List<Step> steps,
                         String reachedTarget, Integer restoredTimeline, List<Check> checks, Map<String, Long> rowCounts,
                         Double rtoSeconds, long bytesExtracted, int walSegmentsRestored, String serverLog, String sandbox,
                         Map<String, String> movedAside, boolean rolledBack, List<String> notes, String error, String hint) {
        this(id, status, mode, backup, target, targetDetail, dataDirectory, port, kept, startedAt, finishedAt, steps, reachedTarget,
                restoredTimeline, checks, rowCounts, rtoSeconds, bytesExtracted, walSegmentsRestored, serverLog, sandbox, movedAside,
                rolledBack, notes, error, hint, Map.of());
    }

    /** This report with the console's wording of some of its notes or its hint (added to any it has). */
    public RestoreReport withConsoleWords(Map<String, String> more) {
        Map<String, String> all = new LinkedHashMap<>(consoleWords);
        all.putAll(more);
        return new RestoreReport(id, status, mode, backup, target, targetDetail, dataDirectory, port, kept, startedAt, finishedAt, steps,
                reachedTarget, restoredTimeline, checks, rowCounts, rtoSeconds, bytesExtracted, walSegmentsRestored, serverLog, sandbox,
                movedAside, rolledBack, notes, error, hint, all);
    }

    /** A note or the hint of this report as the console words it. */
    public String inConsoleWords(String noteOrHint) {
        return noteOrHint == null ? null : consoleWords.getOrDefault(noteOrHint, noteOrHint);
    }

    /** One step and how long it took. */
    public record Step(String name, double seconds, String detail) {
    }

    /** One verification check on the restored cluster; a warning passes but says something is not as expected. */
    public record Check(String name, boolean ok, String detail, boolean warning) {
        public Check(String name, boolean ok, String detail) {
            this(name, ok, detail, false);
        }

        /** "ok", "warn" or "FAIL", as the text and HTML reports show it. */
        public String label() {
            return !ok ? "FAIL" : warning ? "warn" : "ok";
        }
    }

    public boolean succeeded() {
        return SUCCEEDED.equals(status);
    }

    public double seconds(String step) {
        return steps.stream().filter(s -> s.name().equals(step)).mapToDouble(Step::seconds).sum();
    }
}

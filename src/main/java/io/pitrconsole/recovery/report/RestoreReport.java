package io.pitrconsole.recovery.report;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.target.RecoveryTarget;
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
        return toBuilder().consoleWords(all).build();
    }

    /** A builder holding this report's values, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.status = status;
        b.mode = mode;
        b.backup = backup;
        b.target = target;
        b.targetDetail = targetDetail;
        b.dataDirectory = dataDirectory;
        b.port = port;
        b.kept = kept;
        b.startedAt = startedAt;
        b.finishedAt = finishedAt;
        b.steps = steps;
        b.reachedTarget = reachedTarget;
        b.restoredTimeline = restoredTimeline;
        b.checks = checks;
        b.rowCounts = rowCounts;
        b.rtoSeconds = rtoSeconds;
        b.bytesExtracted = bytesExtracted;
        b.walSegmentsRestored = walSegmentsRestored;
        b.serverLog = serverLog;
        b.sandbox = sandbox;
        b.movedAside = movedAside;
        b.rolledBack = rolledBack;
        b.notes = notes;
        b.error = error;
        b.hint = hint;
        b.consoleWords = consoleWords;
        return b;
    }

    /** A builder for a new report: every list and map empty, every other value unset. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A report built field by field, so that changing one value of a report (its status, its
     * notes) does not copy the other 25 by position.
     */
    public static final class Builder {
        private String id;
        private String status;
        private RestoreMode mode;
        private String backup;
        private String target;
        private RecoveryTarget targetDetail;
        private String dataDirectory;
        private Integer port;
        private boolean kept;
        private Instant startedAt;
        private Instant finishedAt;
        private List<Step> steps;
        private String reachedTarget;
        private Integer restoredTimeline;
        private List<Check> checks;
        private Map<String, Long> rowCounts;
        private Double rtoSeconds;
        private long bytesExtracted;
        private int walSegmentsRestored;
        private String serverLog;
        private String sandbox;
        private Map<String, String> movedAside;
        private boolean rolledBack;
        private List<String> notes;
        private String error;
        private String hint;
        private Map<String, String> consoleWords;

        private Builder() {
        }

        public Builder id(String value) {
            this.id = value;
            return this;
        }

        public Builder status(String value) {
            this.status = value;
            return this;
        }

        public Builder mode(RestoreMode value) {
            this.mode = value;
            return this;
        }

        public Builder backup(String value) {
            this.backup = value;
            return this;
        }

        public Builder target(String value) {
            this.target = value;
            return this;
        }

        public Builder targetDetail(RecoveryTarget value) {
            this.targetDetail = value;
            return this;
        }

        public Builder dataDirectory(String value) {
            this.dataDirectory = value;
            return this;
        }

        public Builder port(Integer value) {
            this.port = value;
            return this;
        }

        public Builder kept(boolean value) {
            this.kept = value;
            return this;
        }

        public Builder startedAt(Instant value) {
            this.startedAt = value;
            return this;
        }

        public Builder finishedAt(Instant value) {
            this.finishedAt = value;
            return this;
        }

        public Builder steps(List<Step> value) {
            this.steps = value;
            return this;
        }

        public Builder reachedTarget(String value) {
            this.reachedTarget = value;
            return this;
        }

        public Builder restoredTimeline(Integer value) {
            this.restoredTimeline = value;
            return this;
        }

        public Builder checks(List<Check> value) {
            this.checks = value;
            return this;
        }

        public Builder rowCounts(Map<String, Long> value) {
            this.rowCounts = value;
            return this;
        }

        public Builder rtoSeconds(Double value) {
            this.rtoSeconds = value;
            return this;
        }

        public Builder bytesExtracted(long value) {
            this.bytesExtracted = value;
            return this;
        }

        public Builder walSegmentsRestored(int value) {
            this.walSegmentsRestored = value;
            return this;
        }

        public Builder serverLog(String value) {
            this.serverLog = value;
            return this;
        }

        public Builder sandbox(String value) {
            this.sandbox = value;
            return this;
        }

        public Builder movedAside(Map<String, String> value) {
            this.movedAside = value;
            return this;
        }

        public Builder rolledBack(boolean value) {
            this.rolledBack = value;
            return this;
        }

        public Builder notes(List<String> value) {
            this.notes = value;
            return this;
        }

        public Builder error(String value) {
            this.error = value;
            return this;
        }

        public Builder hint(String value) {
            this.hint = value;
            return this;
        }

        public Builder consoleWords(Map<String, String> value) {
            this.consoleWords = value;
            return this;
        }

        public RestoreReport build() {
            return new RestoreReport(id, status, mode, backup, target, targetDetail,
                    dataDirectory, port, kept, startedAt, finishedAt, steps, reachedTarget, restoredTimeline,
                    checks, rowCounts, rtoSeconds, bytesExtracted, walSegmentsRestored, serverLog, sandbox,
                    movedAside, rolledBack, notes, error, hint, consoleWords);
        }
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
}

package io.pitrconsole.ui.restore;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreListener;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.ui.Background;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Run step: one row per restore step with its progress and duration, the tail of the
 * restored server's log, and cancel. Listener calls arrive on the worker thread and are handed
 * to the UI thread.
 */
public final class RunProgress {
    static final int LOG_LINES = 300;

    /** The restore itself, on the worker thread. */
    @FunctionalInterface
    interface Work {
        RestoreReport run(RestoreListener listener, Cancellation cancel, ProgressListener progress) throws Exception;
    }

    private final Executor ui;
    private final ObservableList<StepRow> steps = FXCollections.observableArrayList();
    private final ObservableList<String> logTail = FXCollections.observableArrayList();
    private final BooleanProperty running = new SimpleBooleanProperty();
    private final BooleanProperty cancelling = new SimpleBooleanProperty();
    private final StringProperty error = new SimpleStringProperty("");
    private Background.Job job;

    RunProgress(Executor ui) {
        this.ui = ui;
    }

    public ObservableList<StepRow> steps() {
        return steps;
    }

    public ObservableList<String> logTail() {
        return logTail;
    }

    public BooleanProperty runningProperty() {
        return running;
    }

    public BooleanProperty cancellingProperty() {
        return cancelling;
    }

    /** Why the restore could not start or stopped without a report; empty otherwise. */
    public StringProperty errorProperty() {
        return error;
    }

    void clear() {
        steps.clear();
        logTail.clear();
        error.set("");
        cancelling.set(false);
    }

    /** Runs the restore; done gets its report, and ended runs after it or after a failure without one. */
    void start(Background jobs, String title, Work work, Consumer<RestoreReport> done, Runnable ended) {
        clear();
        running.set(true);
        RestoreListener listener = new RestoreListener() {
            @Override
            public void stepStarted(String step) {
                ui.execute(() -> steps.add(new StepRow(step)));
            }

            @Override
            public void progress(String step, long d, long total, String message) {
                ui.execute(() -> row(step).ifPresent(r -> {
                    r.progressProperty().set(total > 0 ? Math.min(1.0, (double) d / total) : -1);
                    if (message != null) {
                        r.messageProperty().set(message);
                    }
                }));
            }

            @Override
            public void stepFinished(String step, double seconds) {
                ui.execute(() -> row(step).ifPresent(r -> {
                    r.secondsProperty().set(seconds);
                    r.progressProperty().set(1);
                    r.stateProperty().set(StepRow.State.DONE);
                }));
            }

            @Override
            public void serverLogLine(String line) {
                ui.execute(() -> {
                    logTail.add(line);
                    if (logTail.size() > LOG_LINES) {
                        logTail.remove(0, logTail.size() - LOG_LINES);
                    }
                });
            }
        };
        job = jobs.submit(title, (progress, cancel) -> work.run(listener, cancel, progress), report -> {
            running.set(false);
            job = null;
            markFailures(report);
            done.accept(report);
            ended.run();
        }, e -> {
            running.set(false);
            job = null;
            error.set(e instanceof PitrException p ? p.getMessage() + (p.consoleHint().isEmpty() ? "" : " (hint: " + p.consoleHint() + ")")
                    : String.valueOf(e));
            ended.run();
        }, Background.WhenCancelled.REPORT);
    }

    void cancel() {
        if (job != null && running.get()) {
            cancelling.set(true);
            job.cancel();
        }
    }

    /** Steps the report records as failed are shown so, with the report's own durations. */
    private void markFailures(RestoreReport report) {
        for (RestoreReport.Step s : report.steps()) {
            java.util.Optional<StepRow> r = row(s.name());
            StepRow shown = r.orElseGet(() -> {
                StepRow added = new StepRow(s.name());
                steps.add(added);
                return added;
            });
            shown.secondsProperty().set(s.seconds());
            if (s.detail() != null && s.detail().startsWith("failed: ")) {
                shown.stateProperty().set(StepRow.State.FAILED);
                shown.messageProperty().set(s.detail());
            } else {
                shown.stateProperty().set(StepRow.State.DONE);
                shown.progressProperty().set(1);
                if (s.detail() != null) {
                    shown.messageProperty().set(s.detail());
                }
            }
        }
    }

    private java.util.Optional<StepRow> row(String step) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).name().equals(step)) {
                return java.util.Optional.of(steps.get(i));
            }
        }
        return java.util.Optional.empty();
    }
}

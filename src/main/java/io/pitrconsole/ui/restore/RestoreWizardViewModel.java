package io.pitrconsole.ui.restore;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.plan.RestorePlan;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.target.TargetRefusedException;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.recovery.window.RecoveryWindows;
import io.pitrconsole.ui.Background;
import io.pitrconsole.ui.PageModel;
import io.pitrconsole.wal.RestorePoint;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The restore wizard's state and commands: Target -> Mode -> Plan -> Run -> Report. Back and Next
 * are enabled by the validity of the step shown. The Plan step plans the restore the Target and
 * Mode steps describe, once each time it is entered (or the backup is changed on it), and Run runs
 * exactly the plan shown. Slow calls go through the console's {@link Background}; the run's
 * progress arrives through {@link RunProgress} on the UI thread. No JavaFX nodes here.
 */
public final class RestoreWizardViewModel implements PageModel {
    private final Background jobs;
    private final ReadOnlyObjectWrapper<WizardStep> step = new ReadOnlyObjectWrapper<>(WizardStep.TARGET);
    private final ObjectProperty<RestoreBackend> backend = new SimpleObjectProperty<>();
    private final TargetForm target = new TargetForm();
    private final ReadOnlyObjectWrapper<RecoveryWindows> windows = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper windowCheck = new ReadOnlyStringWrapper("");
    private final ReadOnlyObjectWrapper<Boolean> insideWindow = new ReadOnlyObjectWrapper<>();
    private final ObservableList<RestorePoint> restorePoints = FXCollections.observableArrayList();
    private final ObservableList<String> backups = FXCollections.observableArrayList();
    // Plan
    private final StringProperty chosenBackup = new SimpleStringProperty();
    private final ReadOnlyObjectWrapper<RestorePlan> plan = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper planError = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper planHint = new ReadOnlyStringWrapper("");
    private final ObservableList<Instant> suggestions = FXCollections.observableArrayList();
    private final BooleanProperty planning = new SimpleBooleanProperty();
    private int planGeneration;
    private final ModeForm mode = new ModeForm(backend);
    // Run and report
    private final RunProgress run;
    private final ReportActions report;
    private final BooleanBinding canNext;
    private final BooleanBinding canBack;
    private Runnable serverRestarted = () -> { };

    public RestoreWizardViewModel(Background jobs) {
        this.jobs = jobs;
        this.run = new RunProgress(jobs::onUi);
        this.report = new ReportActions(jobs, backend, () -> serverRestarted.run());
        target.targetProperty().addListener((o, a, b) -> checkWindow());
        windows.addListener((o, a, b) -> checkWindow());
        chosenBackup.addListener((o, a, b) -> {
            if (step.get() == WizardStep.PLAN) {
                replan();
            }
        });
        canNext = Bindings.createBooleanBinding(this::nextAllowed, step, target.targetProperty(), plan, planning, mode.errorProperty(),
                backend, run.runningProperty());
        canBack = Bindings.createBooleanBinding(() -> switch (step.get()) {
            case MODE, PLAN -> true;
            case RUN -> !run.runningProperty().get();
            default -> false;
        }, step, run.runningProperty());
        backend.addListener((o, a, b) -> {
            reset();
            refresh();
        });
    }

    public ReadOnlyObjectProperty<WizardStep> stepProperty() {
        return step.getReadOnlyProperty();
    }

    /** The services of the active profile; null when there is none. Setting it starts the wizard over. */
    public ObjectProperty<RestoreBackend> backendProperty() {
        return backend;
    }

    public TargetForm target() {
        return target;
    }

    public ReadOnlyObjectProperty<RecoveryWindows> windowsProperty() {
        return windows.getReadOnlyProperty();
    }

    /** Whether the target lies inside a recovery window, in words; empty when not known. */
    public ReadOnlyStringProperty windowCheckProperty() {
        return windowCheck.getReadOnlyProperty();
    }

    /** True inside a window, false outside, null when it cannot be told yet (no windows, or a kind not checked here). */
    public ReadOnlyObjectProperty<Boolean> insideWindowProperty() {
        return insideWindow.getReadOnlyProperty();
    }

    public ObservableList<RestorePoint> restorePoints() {
        return restorePoints;
    }

    /** Ids of the backups that have a recovery window, to choose from on the Plan step. */
    public ObservableList<String> backups() {
        return backups;
    }

    /** The backup to restore; null lets the planner choose the newest that reaches the target. */
    public StringProperty chosenBackupProperty() {
        return chosenBackup;
    }

    public ReadOnlyObjectProperty<RestorePlan> planProperty() {
        return plan.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty planErrorProperty() {
        return planError.getReadOnlyProperty();
    }

    public ReadOnlyStringProperty planHintProperty() {
        return planHint.getReadOnlyProperty();
    }

    /** Restorable moments nearest a refused time target. */
    public ObservableList<Instant> suggestions() {
        return suggestions;
    }

    public BooleanProperty planningProperty() {
        return planning;
    }

    public ModeForm mode() {
        return mode;
    }

    public RunProgress run() {
        return run;
    }

    public ReportActions report() {
        return report;
    }

    public BooleanBinding canNextProperty() {
        return canNext;
    }

    public BooleanBinding canBackProperty() {
        return canBack;
    }

    /**
     * What to do after an in-place restore or a rollback ends (on the UI thread): the cluster's
     * server was stopped and started again, maybe on a new timeline, so the console checks it anew.
     */
    public void onServerRestarted(Runnable action) {
        serverRestarted = action == null ? () -> { } : action;
    }

    /** Loads the recovery windows and the history of the active profile. */
    @Override
    public void refresh() {
        RestoreBackend b = backend.get();
        if (b == null) {
            windows.set(null);
            restorePoints.clear();
            backups.clear();
            report.history().clear();
            return;
        }
        jobs.submit("Reading recovery windows", (p, c) -> b.windows(p, c), w -> {
            if (backend.get() == b) {
                windows.set(w);
                restorePoints.setAll(w.index().restorePoints());
                backups.setAll(w.windows().stream().map(RecoveryWindow::backupId).distinct().sorted().toList());
            }
        }, e -> { });
        report.refreshHistory();
    }

    /** The profile changed: the wizard starts over with no backend until the page is shown and takes the new one. */
    @Override
    public void sessionChanged() {
        backend.set(null);
    }

    /** Starts over at the Target step with that target filled in (a request from another page). */
    public void startFrom(RecoveryTarget t) {
        if (run.runningProperty().get()) {
            // a running restore keeps its Run step; the request only fills in the target for the next one
            target.fill(t);
            return;
        }
        reset();
        target.fill(t);
    }

    /** Back to an empty Target step; the fields keep their values. */
    public void reset() {
        planGeneration++;
        plan.set(null);
        planError.set("");
        planHint.set("");
        suggestions.clear();
        planning.set(false);
        chosenBackup.set(null);
        mode.reset();
        run.clear();
        report.reportProperty().set(null);
        step.set(WizardStep.TARGET);
    }

    public void next() {
        if (!canNext.get()) {
            return;
        }
        switch (step.get()) {
            case TARGET -> step.set(WizardStep.MODE);
            case MODE -> {
                step.set(WizardStep.PLAN);
                replan();
            }
            case PLAN -> startRun();
            default -> { }
        }
    }

    public void back() {
        if (!canBack.get()) {
            return;
        }
        switch (step.get()) {
            case MODE -> step.set(WizardStep.TARGET);
            case PLAN -> step.set(WizardStep.MODE);
            case RUN -> {
                // a run refused before its pre-checks (say, an interrupted restore not rolled back): plan anew and show it
                step.set(WizardStep.PLAN);
                replan();
            }
            default -> { }
        }
    }

    /** Shows a saved report (from the history) on the Report step; not while a restore runs. */
    public void showReport(RestoreReport r) {
        if (r == null || run.runningProperty().get()) {
            return;
        }
        report.reportProperty().set(r);
        step.set(WizardStep.REPORT);
    }

    /** Takes a suggested moment as the new time target and plans again. */
    public void useSuggestion(Instant at) {
        target.setTime(at, target.zoneProperty().get());
        if (step.get() == WizardStep.PLAN) {
            replan();
        }
    }

    /** Asks a running restore to stop; it cleans up (an in-place restore puts the old directory back) and reports. */
    public void cancelRun() {
        run.cancel();
    }

    private boolean nextAllowed() {
        if (backend.get() == null) {
            return false;
        }
        return switch (step.get()) {
            case TARGET -> target.targetProperty().get() != null;
            case MODE -> mode.errorProperty().get().isEmpty();
            case PLAN -> plan.get() != null && !planning.get() && mode.errorProperty().get().isEmpty();
            default -> false;
        };
    }

    private void replan() {
        RestoreBackend b = backend.get();
        RecoveryTarget t = target.targetProperty().get();
        if (b == null || t == null) {
            return;
        }
        int generation = ++planGeneration;
        plan.set(null);
        planError.set("");
        planHint.set("");
        suggestions.clear();
        planning.set(true);
        RestoreRequest request = mode.request(t, chosenBackup.get());
        jobs.submit("Planning the restore", (p, c) -> {
            try {
                return new PlanOutcome(b.plan(request, p, c), null);
            } catch (PitrException e) {
                return new PlanOutcome(null, e);
            }
        }, outcome -> {
            if (generation != planGeneration) {
                return;
            }
            planning.set(false);
            if (outcome.error() != null) {
                planError.set(outcome.error().getMessage());
                planHint.set(outcome.error().consoleHint());
                if (outcome.error() instanceof TargetRefusedException r) {
                    suggestions.setAll(r.suggestions());
                }
            } else {
                plan.set(outcome.plan());
            }
        }, e -> {
            if (generation == planGeneration) {
                planning.set(false);
                planError.set(String.valueOf(e.getMessage()));
            }
        });
    }

    private record PlanOutcome(RestorePlan plan, PitrException error) {
    }

    /** Runs the plan the Plan step shows: the services check it against the archive again and refuse a stale one. */
    private void startRun() {
        RestoreBackend b = backend.get();
        RestorePlan shown = plan.get();
        step.set(WizardStep.RUN);
        report.reportProperty().set(null);
        boolean inPlace = shown.mode() == RestoreMode.IN_PLACE;
        run.start(jobs, "Restoring (" + shown.mode().label() + ") to " + shown.target().describe(),
                (listener, cancel, progress) -> b.run(shown, listener, cancel), r -> {
                    report.reportProperty().set(r);
                    step.set(WizardStep.REPORT);
                    report.refreshHistory();
                }, () -> {
                    if (inPlace) {
                        serverRestarted.run();
                    }
                });
    }

    private void checkWindow() {
        RecoveryTarget t = target.targetProperty().get();
        RecoveryWindows w = windows.get();
        if (t == null || w == null) {
            insideWindow.set(null);
            windowCheck.set(w == null && backend.get() != null ? "recovery windows not read yet" : "");
            return;
        }
        switch (t.kind()) {
            case TIME -> {
                Instant at = t.time().toInstant();
                OptionalInt tli = t.timeline() == null ? OptionalInt.empty() : OptionalInt.of(t.timeline());
                Optional<RecoveryWindow> in = w.reaching(at, tli);
                insideWindow.set(in.isPresent());
                windowCheck.set(in.map(x -> "inside the recovery window of " + x.backupId() + " on timeline " + x.timeline()
                        + " (" + target.show(x.from()) + " to " + target.show(x.to()) + ")")
                        .orElseGet(() -> "outside every recovery window; nearest restorable: " + String.join(" and ",
                                w.nearestRestorable(at).stream().map(target::show).toList())));
            }
            case NAME -> {
                boolean known = w.index().restorePoints().stream().anyMatch(r -> r.name().equals(t.value()));
                insideWindow.set(known);
                windowCheck.set(known ? "restore point found in the archived WAL" : "no restore point of that name in the archived WAL");
            }
            case LATEST -> {
                insideWindow.set(!w.windows().isEmpty());
                windowCheck.set(w.liveMerged().stream().map(RecoveryWindow::to).max(Instant::compareTo)
                        .map(e -> "the last archived transaction is at " + target.show(e)).orElse("no recovery window"));
            }
            default -> {
                insideWindow.set(null);
                windowCheck.set("checked against the archive when planned");
            }
        }
    }
}

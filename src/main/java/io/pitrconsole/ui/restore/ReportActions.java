package io.pitrconsole.ui.restore;

import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.ui.Background;
import java.nio.file.Files;
import java.nio.file.Path;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The Report step and the rehearsal history: the report shown, and what can be done with it
 * (connect to a kept sandbox, discard it, export it as HTML, roll back an in-place restore).
 */
public final class ReportActions {
    private final Background jobs;
    private final ObjectProperty<RestoreBackend> backend;
    private final ObjectProperty<RestoreReport> report = new SimpleObjectProperty<>();
    private final ObservableList<RestoreReport> history = FXCollections.observableArrayList();
    private final StringProperty message = new SimpleStringProperty("");
    private final BooleanProperty busy = new SimpleBooleanProperty();
    private final BooleanProperty discarded = new SimpleBooleanProperty();
    private final StringBinding connectionString;
    private final BooleanBinding canDiscard;
    private final BooleanBinding canRollBack;
    private final Runnable rolledBack;

    /** rolledBack runs after every rollback attempt: the server was stopped and started. */
    ReportActions(Background jobs, ObjectProperty<RestoreBackend> backend, Runnable rolledBack) {
        this.jobs = jobs;
        this.backend = backend;
        this.rolledBack = rolledBack;
        report.addListener((o, a, b) -> {
            discarded.set(false);
            message.set("");
        });
        connectionString = Bindings.createStringBinding(() -> {
            RestoreReport r = report.get();
            RestoreBackend be = backend.get();
            if (r == null || be == null || !r.kept() || r.port() == null || discarded.get()) {
                return "";
            }
            return "host=127.0.0.1 port=" + r.port() + " dbname=" + be.connection().database() + " user=" + be.connection().user();
        }, report, backend, discarded);
        canDiscard = Bindings.createBooleanBinding(() -> report.get() != null && report.get().kept() && report.get().sandbox() != null
                && !discarded.get() && !busy.get(), report, discarded, busy);
        canRollBack = Bindings.createBooleanBinding(() -> report.get() != null && report.get().mode() == RestoreMode.IN_PLACE
                && report.get().succeeded() && !report.get().movedAside().isEmpty() && !report.get().rolledBack() && !busy.get(),
                report, busy);
    }

    public ObjectProperty<RestoreReport> reportProperty() {
        return report;
    }

    /** Saved reports of this archive, newest first. */
    public ObservableList<RestoreReport> history() {
        return history;
    }

    /** What the last action did (where the HTML went, what was removed). */
    public StringProperty messageProperty() {
        return message;
    }

    public BooleanProperty busyProperty() {
        return busy;
    }

    /** libpq connection string of a kept rehearsal sandbox; empty when there is none. */
    public StringBinding connectionStringProperty() {
        return connectionString;
    }

    public BooleanBinding canDiscardProperty() {
        return canDiscard;
    }

    public BooleanBinding canRollBackProperty() {
        return canRollBack;
    }

    /** Stops and deletes the kept sandbox of the report shown. */
    public void discard() {
        RestoreReport r = report.get();
        RestoreBackend b = backend.get();
        if (b == null || !canDiscard.get()) {
            return;
        }
        busy.set(true);
        jobs.submit("Discarding the rehearsal sandbox", (p, c) -> b.discard(Path.of(r.sandbox())), root -> {
            busy.set(false);
            discarded.set(true);
            message.set("Sandbox " + root + " stopped and removed.");
            refreshHistory();
        }, e -> busy.set(false));
    }

    /** Writes the report shown as HTML beside the saved reports and says where. */
    public void exportHtml() {
        RestoreReport r = report.get();
        RestoreBackend b = backend.get();
        if (b == null || r == null) {
            return;
        }
        jobs.submit("Exporting the restore report", (p, c) -> b.exportHtml(r),
                file -> message.set("Report written to " + file + (Files.isRegularFile(file) ? "" : " (missing?)")), e -> { });
    }

    /** Puts back the data directory an in-place restore moved aside, and starts it. */
    public void rollBack() {
        RestoreReport r = report.get();
        RestoreBackend b = backend.get();
        if (b == null || !canRollBack.get()) {
            return;
        }
        busy.set(true);
        jobs.submit("Rolling back restore " + r.id(), (p, c) -> b.rollback(r.id()), back -> {
            busy.set(false);
            report.set(back);
            message.set("Rolled back: the previous data directory is in place again and its server was started.");
            refreshHistory();
            rolledBack.run();
        }, e -> {
            busy.set(false);
            rolledBack.run();
        });
    }

    /** Reloads the saved reports. */
    public void refreshHistory() {
        RestoreBackend b = backend.get();
        if (b == null) {
            history.clear();
            return;
        }
        jobs.submit("Reading restore history", (p, c) -> b.history(), list -> {
            if (backend.get() == b) {
                history.setAll(list);
            }
        }, e -> { });
    }
}

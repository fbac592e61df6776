package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import io.pitrconsole.recovery.report.RestoreReport;
import java.util.List;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Step 5: how the restore went (the server's own stop line, checks, RTO) and what to do with its result. */
final class ReportStepView {
    private ReportStepView() {
    }

    static Node build(RestoreWizardViewModel vm) {
        ReportActions actions = vm.report();
        Label status = Ui.label("report-status", Styles.TITLE_3);
        Label reached = Ui.label("report-reached");
        reached.setStyle("-fx-font-family: monospace");
        Label rto = Ui.label("report-rto", Styles.TEXT_BOLD);
        Label where = Ui.label("report-where");
        Label error = Ui.label("report-error", Styles.DANGER);
        ListView<String> checks = new ListView<>();
        checks.setId("report-checks");
        checks.setPrefHeight(120);
        ListView<String> rows = new ListView<>();
        rows.setId("report-rows");
        rows.setPrefHeight(100);
        ListView<String> steps = new ListView<>();
        steps.setId("report-steps");
        steps.setPrefHeight(150);
        actions.reportProperty().addListener((o, a, r) -> show(r, status, reached, rto, where, error, checks, rows, steps));

        TextField connection = new TextField();
        connection.setId("report-connection");
        connection.setEditable(false);
        connection.setPrefColumnCount(40);
        connection.textProperty().bind(actions.connectionStringProperty());
        Button copy = new Button("Copy connection string");
        copy.setId("report-copy-connection");
        copy.disableProperty().bind(actions.connectionStringProperty().isEmpty());
        copy.setOnAction(e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(actions.connectionStringProperty().get());
            Clipboard.getSystemClipboard().setContent(c);
            actions.messageProperty().set("Copied: psql \"" + actions.connectionStringProperty().get() + "\"");
        });
        HBox connect = new HBox(8, connection, copy);
        connect.visibleProperty().bind(actions.connectionStringProperty().isNotEmpty());
        connect.managedProperty().bind(connect.visibleProperty());

        Button discard = button("report-discard", "Discard sandbox", actions::discard);
        discard.disableProperty().bind(actions.canDiscardProperty().not());
        discard.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> actions.reportProperty().get() != null
                && actions.reportProperty().get().sandbox() != null, actions.reportProperty()));
        discard.managedProperty().bind(discard.visibleProperty());
        Button export = button("report-export", "Export report (HTML)", actions::exportHtml);
        export.disableProperty().bind(actions.reportProperty().isNull());
        Button rollback = button("report-rollback", "Roll back this restore", actions::rollBack);
        rollback.disableProperty().bind(actions.canRollBackProperty().not());
        rollback.visibleProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(() -> actions.reportProperty().get() != null
                && actions.reportProperty().get().mode() == io.pitrconsole.recovery.RestoreMode.IN_PLACE, actions.reportProperty()));
        rollback.managedProperty().bind(rollback.visibleProperty());
        Button again = button("restore-new", "New restore", vm::reset);
        Label message = Ui.label("report-message", Styles.SUCCESS);
        message.textProperty().bind(actions.messageProperty());

        VBox box = Ui.column(status, reached, rto, where, error, connect, new FlowPane(8, 8, discard, export, rollback, again), message,
                Ui.heading("Checks"), checks, Ui.heading("Row counts"), rows, Ui.heading("Steps"), steps);
        box.setId("step-report");
        return box;
    }

    private static void show(RestoreReport r, Label status, Label reached, Label rto, Label where, Label error,
                             ListView<String> checks, ListView<String> rows, ListView<String> steps) {
        if (r == null) {
            List.of(status, reached, rto, where, error).forEach(l -> l.setText(""));
            checks.getItems().clear();
            rows.getItems().clear();
            steps.getItems().clear();
            return;
        }
        status.setText(r.mode().label() + " " + r.id() + ": " + r.status().toUpperCase());
        Ui.tone(status, r.succeeded());
        reached.setText(r.reachedTarget() == null ? "the target was not reached" : "Server: " + r.reachedTarget());
        rto.setText(r.rtoSeconds() == null ? "RTO: not measured (the restore did not finish)"
                : "Measured RTO: " + Ui.seconds(r.rtoSeconds()) + (r.restoredTimeline() == null ? "" : ", now on timeline " + r.restoredTimeline()));
        where.setText("Backup " + r.backup() + ", target " + r.target() + "; data directory " + r.dataDirectory()
                + (r.port() == null ? "" : ", port " + r.port())
                + (r.sandbox() == null ? "" : r.kept() ? " (sandbox kept running)" : " (sandbox removed)")
                + (r.movedAside().isEmpty() ? "" : "; previous data: " + r.movedAside().values()
                + (r.rolledBack() ? " (put back)" : " (kept for rollback)")));
        error.setText(r.error() == null ? "" : r.error() + (r.hint() == null || r.hint().isEmpty() ? "" : "\nHint: " + r.inConsoleWords(r.hint())));
        checks.getItems().setAll(r.checks().stream().map(c -> (!c.ok() ? "\u2717 FAIL  " : c.warning() ? "! warn  " : "\u2713 pass  ") + c.name() + ": " + c.detail()).toList());
        rows.getItems().setAll(r.rowCounts().entrySet().stream().map(e -> e.getKey() + " = " + e.getValue()).toList());
        List<String> lines = new java.util.ArrayList<>(r.steps().stream()
                .map(s -> String.format("%-28s %8s  %s", s.name(), Ui.seconds(s.seconds()), s.detail() == null ? "" : s.detail())).toList());
        r.notes().forEach(n -> lines.add("note: " + r.inConsoleWords(n)));
        steps.getItems().setAll(lines);
    }

    private static Button button(String id, String text, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }
}

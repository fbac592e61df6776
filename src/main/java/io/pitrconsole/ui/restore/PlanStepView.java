package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.run.RecoverySettings;
import java.time.Instant;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TextArea;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.StringConverter;

/**
 * Step 3: the checked plan (backup, where it goes, WAL, settings, estimate) that Start restore runs
 * as shown, or why the target cannot be reached and what can.
 */
final class PlanStepView {
    private static final String AUTOMATIC = "";

    private PlanStepView() {
    }

    static Node build(RestoreWizardViewModel vm) {
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(20, 20);
        Label planning = new Label("Planning: reading the WAL archive and checking the target...", spinner);
        planning.setId("plan-planning");
        planning.visibleProperty().bind(vm.planningProperty());
        planning.managedProperty().bind(planning.visibleProperty());

        Label error = Ui.label("plan-error", Styles.DANGER, Styles.TEXT_BOLD);
        error.textProperty().bind(vm.planErrorProperty());
        Label hint = Ui.label("plan-hint");
        hint.textProperty().bind(vm.planHintProperty());
        FlowPane suggestions = new FlowPane(8, 8);
        suggestions.setId("plan-suggestions");
        vm.suggestions().addListener((ListChangeListener<Instant>) c -> fillSuggestions(vm, suggestions));
        Label suggestCaption = new Label("Restore to the nearest restorable moment instead:");
        suggestCaption.visibleProperty().bind(Bindings.isNotEmpty(vm.suggestions()));
        suggestCaption.managedProperty().bind(suggestCaption.visibleProperty());
        VBox refusal = new VBox(6, error, hint, suggestCaption, suggestions);
        refusal.visibleProperty().bind(vm.planErrorProperty().isNotEmpty());
        refusal.managedProperty().bind(refusal.visibleProperty());

        ComboBox<String> backup = new ComboBox<>();
        backup.setId("plan-backup");
        backup.getItems().add(AUTOMATIC);
        backup.getItems().addAll(vm.backups());
        vm.backups().addListener((ListChangeListener<String>) c -> {
            backup.getItems().setAll(AUTOMATIC);
            backup.getItems().addAll(vm.backups());
        });
        backup.setConverter(new StringConverter<>() {
            @Override
            public String toString(String s) {
                return s == null || s.isEmpty() ? "automatic: the newest backup that reaches the target" : s;
            }

            @Override
            public String fromString(String s) {
                return s;
            }
        });
        backup.setValue(AUTOMATIC);
        backup.valueProperty().addListener((o, a, b) -> vm.chosenBackupProperty().set(b == null || b.isEmpty() ? null : b));
        vm.chosenBackupProperty().addListener((o, a, b) -> backup.setValue(b == null ? AUTOMATIC : b));

        Label chosen = Ui.label("plan-chosen-backup", Styles.TEXT_BOLD);
        Label target = Ui.label("plan-target");
        Label where = Ui.label("plan-where");
        Label wal = Ui.label("plan-wal-summary");
        ListView<String> walList = new ListView<>();
        walList.setId("plan-wal");
        walList.setPrefHeight(110);
        TextArea settings = new TextArea();
        settings.setId("plan-settings");
        settings.setEditable(false);
        settings.setPrefRowCount(7);
        settings.getStyleClass().add("monospace");
        settings.setStyle("-fx-font-family: monospace");
        Label estimate = Ui.label("plan-estimate", Styles.TEXT_BOLD);
        Label basis = Ui.muted("");
        Label checks = Ui.label("plan-checks");
        Label warnings = Ui.label("plan-warnings", Styles.WARNING, Styles.TEXT_BOLD);
        warnings.setWrapText(true);
        warnings.visibleProperty().bind(warnings.textProperty().isNotEmpty());
        warnings.managedProperty().bind(warnings.visibleProperty());
        vm.planProperty().addListener((o, a, p) -> {
            if (p == null) {
                return;
            }
            chosen.setText(p.backupId());
            target.setText(p.target().describe());
            where.setText(p.mode() == RestoreMode.IN_PLACE ? "in place, over " + p.dataDirectory()
                    : "rehearsal in " + p.dataDirectory() + ", port " + p.port());
            wal.setText(p.walSegments().size() + " WAL file(s), " + ByteSize.of(p.walBytes()).human()
                    + ", every one present and readable in the archive");
            walList.getItems().setAll(p.walSegments().stream().map(s -> "\u2713 " + s).toList());
            settings.setText(new RecoverySettings(p.settings()).confLines());
            estimate.setText("about " + Ui.seconds(p.estimatedSeconds()) + " (backup of " + ByteSize.of(p.backupBytes()).human() + ")");
            basis.setText(p.estimateBasis());
            checks.setText(String.join("\n", concat(p.checks(), p.notes().stream().map(p::inConsoleWords).toList())));
            warnings.setText(String.join("\n", p.warnings().stream().map(w -> "Warning: " + p.inConsoleWords(w)).toList()));
        });
        VBox details = Ui.column(warnings,
                Ui.form(List.of("Backup", "Will restore", "Target", "Into", "WAL needed"), List.of(backup, chosen, target, where, wal)),
                walList, Ui.heading("Settings that will be written (postgresql.auto.conf + recovery.signal)"), settings,
                Ui.form(List.of("Estimated duration", ""), List.of(estimate, basis)), checks);
        details.visibleProperty().bind(vm.planProperty().isNotNull());
        details.managedProperty().bind(details.visibleProperty());

        VBox box = Ui.column(Ui.heading("Plan"), Ui.muted("Start restore runs this plan as shown; going Back to change the mode or"
                + " the target plans again."), planning, refusal, details);
        box.setId("step-plan");
        return box;
    }

    private static void fillSuggestions(RestoreWizardViewModel vm, FlowPane pane) {
        pane.getChildren().clear();
        int i = 0;
        for (Instant s : vm.suggestions()) {
            Button b = new Button(vm.target().show(s));
            b.setId("plan-suggestion-" + i++);
            b.getStyleClass().addAll(Styles.ACCENT, Styles.BUTTON_OUTLINED);
            b.setOnAction(e -> vm.useSuggestion(s));
            pane.getChildren().add(new HBox(b));
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream().map(n -> "note: " + n)).toList();
    }
}

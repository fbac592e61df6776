package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;

/** Step 4: every restore step with its own progress and duration, the server's log as it is written, and Cancel. */
final class RunStepView {
    private RunStepView() {
    }

    static Node build(RestoreWizardViewModel vm) {
        RunProgress run = vm.run();
        TableView<StepRow> steps = new TableView<>(run.steps());
        steps.setId("run-steps");
        steps.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        io.pitrconsole.ui.ColumnHeaders.keepWhole(steps);
        steps.setPrefHeight(260);
        steps.getStyleClass().add(Styles.DENSE);
        TableColumn<StepRow, String> name = new TableColumn<>("Step");
        name.setCellValueFactory(c -> new ReadOnlyStringWrapper(c.getValue().name()));
        name.setPrefWidth(200);
        TableColumn<StepRow, StepRow> progress = new TableColumn<>("Progress");
        progress.setCellValueFactory(c -> new ReadOnlyObjectWrapper<>(c.getValue()));
        progress.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(StepRow r, boolean empty) {
                super.updateItem(r, empty);
                if (empty || r == null) {
                    setGraphic(null);
                    return;
                }
                ProgressBar bar = new ProgressBar();
                bar.setMaxWidth(Double.MAX_VALUE);
                bar.progressProperty().bind(r.progressProperty());
                setGraphic(bar);
            }
        });
        progress.setPrefWidth(90);
        TableColumn<StepRow, String> state = new TableColumn<>("State");
        state.setCellValueFactory(c -> Bindings.createStringBinding(() -> switch (c.getValue().stateProperty().get()) {
            case RUNNING -> "running";
            case DONE -> "done";
            case FAILED -> "FAILED";
        }, c.getValue().stateProperty()));
        state.setPrefWidth(60);
        TableColumn<StepRow, String> seconds = new TableColumn<>("Took");
        seconds.setCellValueFactory(c -> Bindings.createStringBinding(() -> Ui.seconds(c.getValue().secondsProperty().get()),
                c.getValue().secondsProperty()));
        seconds.setPrefWidth(50);
        TableColumn<StepRow, String> message = new TableColumn<>("Detail");
        message.setCellValueFactory(c -> c.getValue().messageProperty());
        // The detail is the step's own words ("extracted 2 tar files, 22.7 MB ..."): it gets the
        // room the constrained policy hands out, and a tooltip where a long one still does not fit.
        message.setPrefWidth(300);
        message.setCellFactory(c -> new TableCell<>() {
            @Override
            protected void updateItem(String text, boolean empty) {
                super.updateItem(text, empty);
                setText(empty ? null : text);
                setTooltip(empty || text == null || text.isEmpty() ? null : new javafx.scene.control.Tooltip(text));
            }
        });
        steps.getColumns().addAll(java.util.List.of(name, progress, state, seconds, message));

        ListView<String> log = new ListView<>(run.logTail());
        log.setId("run-log");
        log.setPrefHeight(180);
        log.getStyleClass().add(Styles.DENSE);
        log.setStyle("-fx-font-family: monospace");
        log.setPlaceholder(new Label("the restored server's log appears here once it starts"));
        run.logTail().addListener((ListChangeListener<String>) c -> log.scrollTo(run.logTail().size() - 1));

        Button cancel = new Button("Cancel restore", new FontIcon(Material2OutlinedAL.CANCEL));
        cancel.setId("restore-cancel");
        cancel.getStyleClass().add(Styles.DANGER);
        cancel.disableProperty().bind(run.runningProperty().not().or(run.cancellingProperty()));
        cancel.setOnAction(e -> vm.cancelRun());
        Label status = Ui.label("run-status");
        status.textProperty().bind(Bindings.createStringBinding(() -> {
            if (!run.errorProperty().get().isEmpty()) {
                return "The restore did not run: " + run.errorProperty().get();
            }
            if (run.cancellingProperty().get() && run.runningProperty().get()) {
                return "Cancelling: the restore stops at the next safe point and puts everything back (an in-place restore"
                        + " restores the old data directory and restarts its server)...";
            }
            return run.runningProperty().get() ? "Restoring..." : "";
        }, run.errorProperty(), run.cancellingProperty(), run.runningProperty()));
        HBox top = new HBox(12, status, cancel);
        HBox.setHgrow(status, Priority.ALWAYS);
        status.setMaxWidth(Double.MAX_VALUE);
        VBox box = Ui.column(Ui.heading("Restoring"), top, steps, Ui.heading("Server log"), log);
        box.setId("step-run");
        return box;
    }
}

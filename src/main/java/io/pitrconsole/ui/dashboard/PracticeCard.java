package io.pitrconsole.ui.dashboard;

import atlantafx.base.theme.Styles;
import io.pitrconsole.practice.PracticeStatus;
import io.pitrconsole.ui.DisplayFormats;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Spinner;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/** The practice-cluster offer: create one on first run; start, stop or remove it once it exists. */
final class PracticeCard extends VBox {

    PracticeCard(PracticeViewModel vm) {
        setId("practice-card");
        setSpacing(8);
        setPadding(new Insets(12));
        getStyleClass().addAll(Styles.BG_ACCENT_SUBTLE, Styles.BORDER_DEFAULT, Styles.ROUNDED);
        setStyle("-fx-border-width: 1;");
        visibleProperty().bind(vm.offeredProperty());
        managedProperty().bind(visibleProperty());

        Label title = new Label("Create a practice cluster");
        title.setId("practice-title");
        title.getStyleClass().add(Styles.TITLE_4);
        Label text = new Label();
        text.setId("practice-text");
        text.setWrapText(true);

        Spinner<Integer> history = new Spinner<>(10, 3600, vm.historySecondsProperty().get(), 10);
        history.setId("practice-history");
        history.setEditable(true);
        history.setPrefWidth(100);
        history.getValueFactory().valueProperty().addListener((obs, old, v) -> vm.historySecondsProperty().set(v));
        vm.historySecondsProperty().addListener((obs, old, v) -> history.getValueFactory().setValue(v.intValue()));
        Label historyLabel = new Label("seconds of history");
        HBox historyBox = new HBox(6, history, historyLabel);
        historyBox.setAlignment(Pos.CENTER_LEFT);

        Button create = button("Create practice cluster", Material2OutlinedAL.ADD, "practice-create",
                "A local PostgreSQL 15 cluster with archiving, sample data, backups and restore points");
        create.getStyleClass().add(Styles.ACCENT);
        create.setOnAction(e -> vm.create());
        Button start = button("Start", Material2OutlinedMZ.PLAY_ARROW, "practice-start", "Start the practice cluster's server");
        start.setOnAction(e -> vm.start());
        Button stop = button("Stop", Material2OutlinedMZ.STOP, "practice-stop", "Stop the practice cluster's server");
        stop.setOnAction(e -> vm.stop());
        Button remove = button("Remove", Material2OutlinedAL.DELETE, "practice-remove",
                "Stop it and delete its data, archive and profile");
        remove.getStyleClass().add(Styles.DANGER);
        remove.setOnAction(e -> vm.remove());

        var exists = Bindings.createBooleanBinding(() -> vm.statusProperty().get() != null && vm.statusProperty().get().exists(),
                vm.statusProperty());
        var runs = Bindings.createBooleanBinding(() -> vm.statusProperty().get() != null && vm.statusProperty().get().running(),
                vm.statusProperty());
        var busy = vm.runningProperty().isNotNull();
        showIf(create, exists.not());
        showIf(historyBox, exists.not());
        showIf(start, exists.and(runs.not()));
        showIf(stop, runs);
        showIf(remove, exists);
        for (var b : new javafx.scene.Node[] {create, start, stop, remove, history}) {
            b.disableProperty().bind(busy);
        }

        ProgressBar bar = new ProgressBar();
        bar.setId("practice-progress");
        bar.setPrefWidth(240);
        Label message = new Label();
        message.setId("practice-message");
        Button cancel = button("Cancel", Material2OutlinedAL.CLOSE, "practice-cancel",
                "Stop. Before its first restorable range a new cluster is removed again; after it, the history stops"
                        + " and the cluster keeps what was written");
        cancel.getStyleClass().add(Styles.SMALL);
        cancel.setOnAction(e -> vm.cancel());
        HBox progress = new HBox(10, bar, message, cancel);
        progress.setAlignment(Pos.CENTER_LEFT);
        showIf(progress, busy);
        vm.runningProperty().addListener((obs, old, task) -> {
            bar.progressProperty().unbind();
            message.textProperty().unbind();
            cancel.disableProperty().unbind();
            if (task != null) {
                var cancelled = task.cancellingProperty();
                bar.progressProperty().bind(task.progressProperty());
                message.textProperty().bind(Bindings.when(cancelled).then(task.title() + ": cancelling, cleaning up...")
                        .otherwise(Bindings.concat(task.title(), ": ", task.messageProperty())));
                cancel.disableProperty().bind(cancelled);
            }
        });

        title.textProperty().bind(Bindings.createStringBinding(() -> exists.get() ? "Practice cluster" : "Create a practice cluster",
                exists));
        text.textProperty().bind(Bindings.createStringBinding(() -> describe(vm.statusProperty().get()), vm.statusProperty()));

        HBox actions = new HBox(8, historyBox, create, start, stop, remove);
        actions.setAlignment(Pos.CENTER_LEFT);
        getChildren().addAll(title, text, actions, progress);
    }

    private static String describe(PracticeStatus s) {
        if (s == null || !s.exists()) {
            return "No cluster is configured yet. A practice cluster is a local PostgreSQL 15 server with WAL archiving, "
                    + "sample data, backups and named restore points, so the timeline is populated and a restore can be "
                    + "rehearsed straight away. It lives in " + (s == null ? "your data directory" : s.layout().base())
                    + " and never touches other clusters.";
        }
        var st = s.state().orElseThrow();
        String history = !st.historyPending() ? ""
                : st.historyTo() == null ? " The history is not written yet."
                : " The history is not complete (written up to " + DisplayFormats.time(st.historyTo()) + ").";
        return "Port " + st.port() + ", " + st.backups() + " backups, " + st.restorePoints() + " restore points, in "
                + s.layout().base() + ". The server is " + (s.running() ? "running." : "stopped.") + history;
    }

    private static void showIf(javafx.scene.Node n, javafx.beans.value.ObservableBooleanValue on) {
        n.visibleProperty().bind(on);
        n.managedProperty().bind(n.visibleProperty());
    }

    private static Button button(String text, Ikon icon, String id, String tip) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        return b;
    }
}

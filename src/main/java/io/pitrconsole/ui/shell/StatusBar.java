package io.pitrconsole.ui.shell;

import atlantafx.base.theme.Styles;
import io.pitrconsole.config.Profile;
import io.pitrconsole.ui.ConsoleModel;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/** Bottom bar: the active cluster profile, its connection state, running tasks with cancel, the log toggle. */
final class StatusBar extends HBox {
    private final ToggleButton logToggle = new ToggleButton("Log", new FontIcon(Material2OutlinedMZ.SUBJECT));

    StatusBar(ConsoleModel model) {
        setId("status-bar");
        setSpacing(10);
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(4, 10, 4, 10));
        getStyleClass().add("status-bar");

        ComboBox<Profile> picker = new ComboBox<>(model.profiles());
        picker.setId("profile-picker");
        picker.setPromptText("no cluster profile");
        picker.setTooltip(new Tooltip("The cluster every page shows"));
        picker.setCellFactory(v -> new ProfileCell());
        picker.setButtonCell(new ProfileCell());
        picker.getStyleClass().add(Styles.SMALL);
        model.sessionProperty().addListener((obs, old, s) -> {
            Profile p = s == null ? null : s.profile();
            if (!java.util.Objects.equals(picker.getValue(), p)) {
                picker.setValue(p);
            }
        });
        picker.valueProperty().addListener((obs, old, p) -> {
            // profiles are values: a reloaded list holds equal copies, which must not activate again
            if (p != null && (model.session().isEmpty() || !model.session().get().profile().equals(p))) {
                model.activate(p);
            }
        });

        Label connection = new Label();
        connection.setId("connection-state");
        connection.textProperty().bind(model.connectionStateProperty());
        connection.graphicProperty().bind(Bindings.createObjectBinding(() -> {
            String s = model.connectionStateProperty().get();
            FontIcon icon = new FontIcon(s.startsWith("connected") ? Material2OutlinedAL.LINK : Material2OutlinedAL.LINK_OFF);
            icon.getStyleClass().add(s.startsWith("connected") ? Styles.SUCCESS : Styles.WARNING);
            return icon;
        }, model.connectionStateProperty()));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);

        Label taskLabel = new Label();
        taskLabel.setId("task-status");
        ProgressBar bar = new ProgressBar();
        bar.setPrefWidth(140);
        Button cancel = new Button(null, new FontIcon(Material2OutlinedAL.CLOSE));
        cancel.setId("task-cancel");
        cancel.setTooltip(new Tooltip("Cancel the running task"));
        cancel.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        Runnable update = () -> {
            var running = model.tasks().running();
            boolean any = !running.isEmpty();
            bar.setVisible(any);
            cancel.setVisible(any);
            bar.progressProperty().unbind();
            taskLabel.textProperty().unbind();
            if (!any) {
                taskLabel.setText("idle");
                return;
            }
            Task<?> first = running.get(0);
            bar.progressProperty().bind(first.progressProperty());
            String more = running.size() > 1 ? " (+" + (running.size() - 1) + " more)" : "";
            taskLabel.textProperty().bind(Bindings.createStringBinding(() -> first.getTitle()
                    + (first.getMessage() == null || first.getMessage().isBlank() ? "" : ": " + first.getMessage()) + more,
                    first.titleProperty(), first.messageProperty()));
            cancel.setOnAction(e -> first.cancel());
        };
        model.tasks().running().addListener((ListChangeListener<Task<?>>) c -> update.run());
        update.run();

        logToggle.setId("log-toggle");
        logToggle.getStyleClass().add(Styles.SMALL);
        getChildren().addAll(picker, connection, spacer, taskLabel, bar, cancel, logToggle);
    }

    ToggleButton logToggle() {
        return logToggle;
    }

    private static final class ProfileCell extends ListCell<Profile> {
        @Override
        protected void updateItem(Profile p, boolean empty) {
            super.updateItem(p, empty);
            setText(empty || p == null ? "no cluster profile" : p.name());
        }
    }
}

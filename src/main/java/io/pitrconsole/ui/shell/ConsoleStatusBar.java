package io.pitrconsole.ui.shell;

import atlantafx.base.theme.Styles;
import io.pitrconsole.config.Profile;
import io.pitrconsole.ui.ConsoleModel;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.collections.ListChangeListener;
import javafx.concurrent.Task;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Separator;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import org.controlsfx.control.PopOver;
import org.controlsfx.control.StatusBar;
import org.controlsfx.control.TaskProgressView;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * Bottom bar: the active cluster profile and its connection state on the left, the running task
 * (title and progress) in the middle, the list of all running tasks, cancel and the log toggle on
 * the right. The profile, connection and buttons keep their full width; only the task's text may
 * give way, and its full text with the current step is in its tooltip and the task list.
 */
final class ConsoleStatusBar extends StatusBar {
    private final ToggleButton logToggle = new ToggleButton("Log", new FontIcon(Material2OutlinedMZ.SUBJECT));
    private final TaskProgressView<Task<?>> taskList = new TaskProgressView<>();

    ConsoleStatusBar(ConsoleModel model) {
        setId("status-bar");
        setPadding(new Insets(2, 10, 2, 10));

        ComboBox<Profile> picker = new ComboBox<>(model.profiles());
        picker.setId("profile-picker");
        picker.setPromptText("no cluster profile");
        picker.setTooltip(new Tooltip("The cluster every page shows"));
        picker.setCellFactory(v -> new ProfileCell());
        picker.setButtonCell(new ProfileCell());
        picker.getStyleClass().add(Styles.SMALL);
        picker.setMinWidth(Region.USE_PREF_SIZE);
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
        connection.setMinWidth(Region.USE_PREF_SIZE);
        connection.textProperty().bind(model.connectionStateProperty());
        connection.graphicProperty().bind(Bindings.createObjectBinding(() -> {
            String s = model.connectionStateProperty().get();
            FontIcon icon = new FontIcon(s.startsWith("connected") ? Material2OutlinedAL.LINK : Material2OutlinedAL.LINK_OFF);
            icon.getStyleClass().add(s.startsWith("connected") ? Styles.SUCCESS : Styles.WARNING);
            return icon;
        }, model.connectionStateProperty()));
        getLeftItems().addAll(picker, gap(), connection, gap());

        Button tasks = new Button(null, new FontIcon(Material2OutlinedAL.FORMAT_LIST_BULLETED));
        tasks.setId("task-list");
        tasks.setTooltip(new Tooltip("Every running task, each with its progress and Cancel"));
        tasks.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        tasks.setMinWidth(Region.USE_PREF_SIZE);
        taskList.setId("task-progress");
        taskList.setPrefSize(460, 260);
        PopOver popOver = new PopOver(taskList);
        popOver.setArrowLocation(PopOver.ArrowLocation.BOTTOM_RIGHT);
        popOver.setTitle("Running tasks");
        popOver.setDetachable(false);
        popOver.getRoot().getStylesheets().add(MainWindow.STYLESHEET);
        tasks.setOnAction(e -> {
            if (popOver.isShowing()) {
                popOver.hide();
            } else {
                popOver.show(tasks);
            }
        });
        Button cancel = new Button(null, new FontIcon(Material2OutlinedAL.CLOSE));
        cancel.setId("task-cancel");
        cancel.setTooltip(new Tooltip("Cancel the running task"));
        cancel.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT, Styles.SMALL);
        cancel.setMinWidth(Region.USE_PREF_SIZE);
        logToggle.setId("log-toggle");
        logToggle.getStyleClass().add(Styles.SMALL);
        logToggle.setMinWidth(Region.USE_PREF_SIZE);
        getRightItems().addAll(tasks, cancel, gap(), logToggle);

        Tooltip detail = new Tooltip();
        Runnable update = () -> {
            List<Task<?>> running = model.background().running();
            boolean any = !running.isEmpty();
            tasks.setVisible(any);
            cancel.setVisible(any);
            progressProperty().unbind();
            textProperty().unbind();
            detail.textProperty().unbind();
            if (!any) {
                setProgress(0); // the bar hides at 0
                setText("idle");
                setTooltip(null);
                popOver.hide();
                return;
            }
            Task<?> first = running.get(0);
            progressProperty().bind(first.progressProperty());
            String more = running.size() > 1 ? " (+" + (running.size() - 1) + " more)" : "";
            textProperty().bind(first.titleProperty().concat(more));
            detail.textProperty().bind(Bindings.createStringBinding(() -> first.getTitle()
                    + (first.getMessage() == null || first.getMessage().isBlank() ? "" : ": " + first.getMessage()) + more,
                    first.titleProperty(), first.messageProperty()));
            setTooltip(detail);
            cancel.setOnAction(e -> first.cancel());
        };
        model.background().running().addListener((ListChangeListener<Task<?>>) c -> {
            // the list view drops a task by itself once it ends; it is told of new ones only
            while (c.next()) {
                c.getAddedSubList().forEach(t -> taskList.getTasks().add(t));
                c.getRemoved().forEach(t -> taskList.getTasks().remove(t));
            }
            update.run();
        });
        taskList.getTasks().setAll(model.background().running());
        update.run();
    }

    ToggleButton logToggle() {
        return logToggle;
    }

    private static Separator gap() {
        Separator s = new Separator(javafx.geometry.Orientation.VERTICAL);
        s.setPadding(new Insets(0, 6, 0, 6));
        return s;
    }

    private static final class ProfileCell extends ListCell<Profile> {
        @Override
        protected void updateItem(Profile p, boolean empty) {
            super.updateItem(p, empty);
            setText(empty || p == null ? "no cluster profile" : p.name());
        }
    }
}

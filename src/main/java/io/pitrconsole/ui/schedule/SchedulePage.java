package io.pitrconsole.ui.schedule;

import atlantafx.base.theme.Styles;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Finding;
import io.pitrconsole.schedule.HealthLevel;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.ViewModelPage;
import io.pitrconsole.ui.schedule.ScheduleViewModel.JobRow;
import io.pitrconsole.ui.schedule.ScheduleViewModel.Removal;
import io.pitrconsole.ui.schedule.ScheduleViewModel.Scheduler;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.function.Function;
import javafx.beans.property.DoubleProperty;
import javafx.beans.property.IntegerProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * Schedule: the retention policy and job times of backup_schedule.json, a dry run of what a
 * cleanup would remove, installing the jobs into cron or systemd with their next runs, and the
 * archive's health as the CLI's 'health' reports it.
 */
public final class SchedulePage extends ViewModelPage<ScheduleViewModel> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mmxxx");

    public SchedulePage(ConsoleModel model) {
        super(model, Pages.SCHEDULE, Material2OutlinedMZ.SCHEDULE, new ScheduleViewModel(model, model.background()));
        askForTheKeyFirst("schedule");
    }

    @Override
    protected Node build() {
        Label state = new Label();
        state.setId("schedule-state");
        state.setWrapText(true);
        state.textProperty().bind(vm.stateProperty());
        state.getStyleClass().add(Styles.TEXT_MUTED);
        state.managedProperty().bind(state.textProperty().isNotEmpty());
        state.visibleProperty().bind(state.managedProperty());
        VBox box = new VBox(18, state, editor(), jobsSection(), cleanupSection(), healthSection());
        box.setPadding(new Insets(4, 8, 16, 4));
        ScrollPane scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        return scroll;
    }

    private Node editor() {
        RetentionForm f = vm.form();
        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(8);
        grid.addRow(0, new Label("Keep daily backups"), intSpinner("retention-daily", f.daily()),
                new Label("weekly"), intSpinner("retention-weekly", f.weekly()),
                new Label("monthly"), intSpinner("retention-monthly", f.monthly()));
        grid.addRow(1, new Label("Size cap (GB, 0 = none)"), doubleSpinner("retention-size-cap", f.sizeCapGb(), 0, 100_000, 10),
                new Label("Health alert after (h)"), doubleSpinner("retention-alert-hours", f.alertAfterHours(), 1, 24 * 90, 1));
        grid.addRow(2, new Label("Backup"), jobEnabled("schedule-backup-enabled", f.backupEnabled()),
                dayBox("schedule-backup-day", f.backupDay()), timeField("schedule-backup-time", f.backupTime()));
        grid.addRow(3, new Label("Cleanup"), jobEnabled("schedule-cleanup-enabled", f.cleanupEnabled()),
                dayBox("schedule-cleanup-day", f.cleanupDay()), timeField("schedule-cleanup-time", f.cleanupTime()));
        Button save = button("Save", "schedule-save", Material2OutlinedMZ.SAVE);
        save.getStyleClass().add(Styles.ACCENT);
        save.setOnAction(e -> vm.save());
        Button reload = button("Reload", "schedule-reload", Material2OutlinedMZ.REFRESH);
        reload.setOnAction(e -> vm.refresh());
        for (Button b : List.of(save, reload)) {
            b.disableProperty().bind(vm.readyProperty().not());
        }
        Label note = new Label("Stored in the archive's backup_schedule.json, which the scheduled backup and cleanup jobs read.");
        note.getStyleClass().add(Styles.TEXT_MUTED);
        return section("Retention policy and job times", new VBox(10, grid, new HBox(8, save, reload), note));
    }

    private Node jobsSection() {
        ComboBox<Scheduler> kind = new ComboBox<>();
        kind.setId("schedule-kind");
        kind.getItems().setAll(Scheduler.values());
        kind.setValue(Scheduler.CRON);
        kind.setConverter(new javafx.util.StringConverter<>() {
            @Override
            public String toString(Scheduler k) {
                return k == null ? "" : k == Scheduler.CRON ? "cron (crontab)" : "systemd timers";
            }

            @Override
            public Scheduler fromString(String s) {
                return s.startsWith("cron") ? Scheduler.CRON : Scheduler.SYSTEMD;
            }
        });
        Button install = button("Install", "schedule-install", Material2OutlinedAL.ADD_TASK);
        install.setOnAction(e -> vm.install(kind.getValue()));
        Button remove = button("Remove", "schedule-remove", Material2OutlinedAL.DELETE);
        remove.setOnAction(e -> vm.remove(kind.getValue()));
        for (Button b : List.of(install, remove)) {
            b.disableProperty().bind(vm.busyProperty().or(vm.readyProperty().not()));
        }
        TableView<JobRow> table = new TableView<>(vm.jobs());
        table.setId("schedule-jobs");
        table.setPrefHeight(120);
        table.getStyleClass().add(Styles.DENSE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        io.pitrconsole.ui.ColumnHeaders.keepWhole(table);
        table.getColumns().add(column("Job", 90, JobRow::name));
        table.getColumns().add(column("When", 170, JobRow::when));
        table.getColumns().add(column("Next run", 220, j -> WHEN.format(j.nextRun())));
        table.getColumns().add(column("Installed in", 400, JobRow::where));
        table.setPlaceholder(new Label("No jobs: both are disabled in the schedule."));
        Label note = new Label("Install writes the saved schedule's jobs (this console's own backup and cleanup, run unattended)"
                + " with the active profile's connection; the password again comes from ~/.pgpass.");
        note.setWrapText(true);
        note.getStyleClass().add(Styles.TEXT_MUTED);
        HBox bar = new HBox(8, new Label("Scheduler"), kind, install, remove);
        bar.setAlignment(Pos.CENTER_LEFT);
        return section("Scheduled jobs", new VBox(8, bar, table, note));
    }

    private Node cleanupSection() {
        Button preview = button("Preview cleanup", "cleanup-preview", Material2OutlinedMZ.PREVIEW);
        preview.disableProperty().bind(vm.busyProperty().or(vm.readyProperty().not()));
        preview.setOnAction(e -> vm.preview());
        TableView<Removal> table = new TableView<>(vm.removals());
        table.setId("cleanup-table");
        table.setPrefHeight(200);
        table.getStyleClass().add(Styles.DENSE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        io.pitrconsole.ui.ColumnHeaders.keepWhole(table);
        table.getColumns().add(column("Kind", 70, Removal::kind));
        table.getColumns().add(column("Name", 260, Removal::name));
        table.getColumns().add(column("Size", 100, r -> ByteSize.of(r.bytes()).human()));
        table.getColumns().add(column("Why", 400, Removal::reason));
        table.setPlaceholder(new Label("Preview lists what a cleanup would remove; nothing is removed here."));
        Label total = new Label();
        total.setId("cleanup-total");
        total.textProperty().bind(vm.cleanupTotalProperty());
        total.getStyleClass().add(Styles.TEXT_BOLD);
        ListView<String> notes = new ListView<>(vm.notes());
        notes.setId("cleanup-notes");
        notes.setPrefHeight(70);
        notes.managedProperty().bind(javafx.beans.binding.Bindings.isNotEmpty(vm.notes()));
        notes.visibleProperty().bind(notes.managedProperty());
        return section("Cleanup preview (dry run, with the saved policy)", new VBox(8, preview, table, total, notes));
    }

    private Node healthSection() {
        Button check = button("Check health", "health-check", Material2OutlinedAL.FAVORITE_BORDER);
        check.disableProperty().bind(vm.readyProperty().not());
        check.setOnAction(e -> vm.checkHealth());
        Label status = new Label();
        status.setId("health-status");
        status.textProperty().bind(vm.healthStatusProperty());
        status.getStyleClass().add(Styles.TEXT_BOLD);
        TableView<Finding> table = new TableView<>(vm.health());
        table.setId("health-checks");
        table.setPrefHeight(230);
        table.getStyleClass().add(Styles.DENSE);
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        io.pitrconsole.ui.ColumnHeaders.keepWhole(table);
        TableColumn<Finding, String> level = column("Level", 90, c -> HealthLevel.of(c.level()).label());
        level.setCellFactory(col -> new javafx.scene.control.TableCell<>() {
            @Override
            protected void updateItem(String item, boolean empty) {
                super.updateItem(item, empty);
                setText(empty ? null : item);
                // AtlantaFX colours labels by style class, not table cells; use its colour variables
                setStyle(empty || item == null ? "" : switch (item) {
                    case "ok" -> "-fx-text-fill: -color-success-fg;";
                    case "warning" -> "-fx-text-fill: -color-warning-fg;";
                    default -> "-fx-text-fill: -color-danger-fg; -fx-font-weight: bold;";
                });
            }
        });
        table.getColumns().add(level);
        // detail and hint are often longer than their columns: the whole finding on hover
        table.setRowFactory(t -> new javafx.scene.control.TableRow<>() {
            @Override
            protected void updateItem(Finding c, boolean empty) {
                super.updateItem(c, empty);
                setTooltip(empty || c == null ? null : new javafx.scene.control.Tooltip(c.detail()
                        + (c.consoleHint().isBlank() ? "" : "\nHint: " + c.consoleHint())));
            }
        });
        table.getColumns().add(column("Check", 130, Finding::check));
        table.getColumns().add(column("Detail", 380, Finding::detail));
        table.getColumns().add(column("Hint", 380, Finding::consoleHint));
        HBox bar = new HBox(12, check, status);
        bar.setAlignment(Pos.CENTER_LEFT);
        return section("Health", new VBox(8, bar, table));
    }

    private static Spinner<Integer> intSpinner(String id, IntegerProperty value) {
        Spinner<Integer> s = new Spinner<>(0, 1000, value.get());
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(90);
        // the form may be reloaded from the file; keep both ways in step
        value.addListener((obs, was, now) -> s.getValueFactory().setValue(now.intValue()));
        s.valueProperty().addListener((obs, was, now) -> value.set(now));
        return s;
    }

    private static Spinner<Double> doubleSpinner(String id, DoubleProperty value, double min, double max, double step) {
        Spinner<Double> s = new Spinner<>(min, max, Math.max(min, value.get()), step);
        s.setId(id);
        s.setEditable(true);
        s.setPrefWidth(110);
        value.addListener((obs, was, now) -> s.getValueFactory().setValue(now.doubleValue()));
        s.valueProperty().addListener((obs, was, now) -> value.set(now));
        return s;
    }

    private static CheckBox jobEnabled(String id, javafx.beans.property.BooleanProperty value) {
        CheckBox c = new CheckBox("enabled");
        c.setId(id);
        c.selectedProperty().bindBidirectional(value);
        return c;
    }

    private static ComboBox<String> dayBox(String id, javafx.beans.property.StringProperty value) {
        ComboBox<String> c = new ComboBox<>();
        c.setId(id);
        c.getItems().setAll(RetentionForm.DAYS);
        c.valueProperty().bindBidirectional(value);
        return c;
    }

    private static TextField timeField(String id, javafx.beans.property.StringProperty value) {
        TextField t = new TextField();
        t.setId(id);
        t.setPromptText("HH:MM");
        t.setPrefColumnCount(5);
        t.textProperty().bindBidirectional(value);
        return t;
    }

    private static Node section(String title, Node content) {
        Label l = new Label(title);
        l.getStyleClass().add(Styles.TITLE_4);
        return new VBox(8, l, content);
    }

    private static <T> TableColumn<T, String> column(String title, double width, Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new SimpleStringProperty(value.apply(d.getValue())));
        return c;
    }

    private static Button button(String text, String id, Ikon icon) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        return b;
    }
}

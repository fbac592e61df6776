package io.pitrconsole.ui.archiving;

import atlantafx.base.theme.Styles;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.archiving.SettingComparison;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.core.Finding;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.EncryptionViews;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.ViewModelPage;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javafx.beans.property.SimpleStringProperty;
import javafx.collections.ListChangeListener;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * WAL archiving: the server's settings against what this archive needs, Apply (with the restart
 * warning), Verify as a pass/warn/fail checklist, archiver statistics and a chart of segments
 * archived per hour.
 */
public final class ArchivingPage extends ViewModelPage<ArchivingViewModel> {
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    public ArchivingPage(ConsoleModel model) {
        super(model, Pages.ARCHIVING, Material2OutlinedAL.CLOUD_UPLOAD, new ArchivingViewModel(model, model.background()));
    }

    @Override
    protected Node build() {
        Label state = new Label();
        state.setId("archiving-state");
        state.textProperty().bind(vm.stateProperty());
        state.getStyleClass().add(Styles.TEXT_MUTED);
        state.managedProperty().bind(state.textProperty().isNotEmpty());
        state.visibleProperty().bind(state.managedProperty());
        Node askForKey = EncryptionViews.keyNeeded(vm.encryption(), model, "archiving");
        VBox box = new VBox(16, toolbar(), EncryptionViews.stateLine(vm.encryption(), "archiving-encryption"), state, askForKey,
                settingsTable(), checklist(), statistics(), new ActivityChart(vm).node());
        box.setPadding(new Insets(4, 8, 16, 4));
        ScrollPane scroll = new ScrollPane(box);
        scroll.setFitToWidth(true);
        return scroll;
    }

    private Node toolbar() {
        Button refresh = button("Refresh", "archiving-refresh", Material2OutlinedMZ.REFRESH);
        refresh.setOnAction(e -> vm.refresh());
        ComboBox<Compression> compression = new ComboBox<>();
        compression.setId("archiving-compression");
        compression.getItems().setAll(Compression.NONE, Compression.GZIP, Compression.ZSTD);
        compression.valueProperty().bindBidirectional(vm.compressionProperty());
        compression.setTooltip(new Tooltip("How archive_command stores segments"));
        Spinner<Integer> timeout = new Spinner<>(0, 3600, vm.archiveTimeoutSecondsProperty().get(), 30);
        timeout.setId("archiving-timeout");
        timeout.setEditable(true);
        timeout.setPrefWidth(100);
        timeout.valueProperty().addListener((obs, was, now) -> vm.archiveTimeoutSecondsProperty().set(now));
        timeout.setTooltip(new Tooltip("archive_timeout in seconds: the longest a quiet server keeps a partly filled segment"));
        Button apply = button("Apply...", "archiving-apply", Material2OutlinedMZ.PUBLISH);
        apply.getStyleClass().add(Styles.ACCENT);
        apply.setOnAction(e -> confirmApply());
        Button verify = button("Verify", "archiving-verify", Material2OutlinedMZ.RULE);
        verify.setOnAction(e -> vm.verify());
        for (Button b : List.of(apply, verify, refresh)) {
            var locked = b == refresh ? vm.busyProperty() : vm.busyProperty().or(vm.encryption().keyNeededProperty());
            b.disableProperty().bind(locked.or(model.sessionProperty().isNull()));
        }
        HBox bar = new HBox(8, refresh, new Label("Compression"), compression, new Label("archive_timeout (s)"), timeout,
                spacer(), apply, verify);
        bar.setAlignment(Pos.CENTER_LEFT);
        return bar;
    }

    private Node settingsTable() {
        TableView<SettingComparison> table = new TableView<>(vm.settings());
        table.setId("archiving-settings");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        io.pitrconsole.ui.ColumnHeaders.keepWhole(table);
        // five rows (archive_library from PostgreSQL 15 on) and the header, without a scroll bar
        table.setPrefHeight(200);
        table.getStyleClass().add(Styles.DENSE);
        table.getColumns().add(column("Setting", 140, SettingComparison::name));
        table.getColumns().add(column("Current", 260, s -> s.current().isBlank() ? "(not set)" : s.current()));
        table.getColumns().add(column("Recommended", 260, s -> s.recommended().isBlank() ? "(empty)" : s.recommended()));
        table.getColumns().add(column("Status", 200, ArchivingPage::status));
        table.setPlaceholder(new Label("Settings appear once the server has been read."));
        return section("Settings", table);
    }

    static String status(SettingComparison s) {
        if (s.pendingRestart()) {
            return "waits for a server restart";
        }
        if (s.satisfied()) {
            return "ok";
        }
        return s.needsRestart() ? "change (needs restart)" : "change";
    }

    private Node checklist() {
        Label summary = new Label();
        summary.setId("archiving-verify-summary");
        summary.textProperty().bind(vm.verifySummaryProperty());
        summary.getStyleClass().add(Styles.TEXT_BOLD);
        VBox rows = new VBox(6);
        rows.setId("archiving-findings");
        vm.findings().addListener((ListChangeListener<Finding>) c ->
                rows.getChildren().setAll(vm.findings().stream().map(ArchivingPage::findingRow).toList()));
        return section("Verification", new VBox(8, summary, rows));
    }

    private static Node findingRow(Finding f) {
        FontIcon icon = new FontIcon(switch (f.level()) {
            case PASS -> Material2OutlinedAL.CHECK_CIRCLE;
            case WARN -> Material2OutlinedMZ.WARNING;
            case FAIL -> Material2OutlinedAL.ERROR_OUTLINE;
        });
        icon.getStyleClass().add(switch (f.level()) {
            case PASS -> Styles.SUCCESS;
            case WARN -> Styles.WARNING;
            case FAIL -> Styles.DANGER;
        });
        Label level = new Label(f.level().label());
        level.setMinWidth(40);
        Label check = new Label(f.check());
        check.getStyleClass().add(Styles.TEXT_BOLD);
        check.setMinWidth(150);
        Label detail = new Label(f.detail());
        detail.setWrapText(true);
        VBox text = new VBox(2, detail);
        if (!f.consoleHint().isBlank()) {
            Label hint = new Label("Hint: " + f.consoleHint());
            hint.setWrapText(true);
            hint.getStyleClass().add(Styles.TEXT_MUTED);
            text.getChildren().add(hint);
        }
        HBox row = new HBox(10, icon, level, check, text);
        row.setId("finding-" + f.check().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-"));
        row.getStyleClass().add("finding-" + f.level().label());
        row.setUserData(f);
        return row;
    }

    private Node statistics() {
        Label archived = stat("stat-archived");
        Label failed = stat("stat-failed");
        Label size = stat("stat-archive-size");
        Label newest = stat("stat-newest");
        Label rate = stat("stat-rate");
        vm.statsProperty().addListener((obs, was, s) -> {
            if (s == null) {
                List.of(archived, failed, size, newest, rate).forEach(l -> l.setText("-"));
                return;
            }
            archived.setText(s.archivedCount() + " (last " + dash(s.lastArchivedWal()) + " at " + time(s.lastArchivedTime()) + ")");
            failed.setText(s.failedCount() + (s.failedCount() == 0 ? "" : " (last " + dash(s.lastFailedWal()) + " at "
                    + time(s.lastFailedTime()) + ")") + (s.failing() ? "  FAILING NOW" : "") + "; counters since " + time(s.statsReset()));
            failed.getStyleClass().remove(Styles.DANGER);
            if (s.failing()) {
                failed.getStyleClass().add(Styles.DANGER);
            }
            size.setText(ByteSize.of(s.archiveBytes()).human() + " in " + s.segmentCount() + " segments");
            newest.setText(dash(s.newestSegment()) + (s.newestSegmentAgeSeconds() == null ? ""
                    : " (" + age(s.newestSegmentAgeSeconds()) + " old)"));
            rate.setText(s.segmentsLastHour() + " in the last hour, " + String.format(Locale.ROOT, "%.1f", s.segmentsPerHour())
                    + "/h over 24 h");
        });
        GridPane grid = new GridPane();
        grid.setHgap(14);
        grid.setVgap(6);
        grid.addRow(0, new Label("Archived"), archived);
        grid.addRow(1, new Label("Failed"), failed);
        grid.addRow(2, new Label("Archive"), size);
        grid.addRow(3, new Label("Newest segment"), newest);
        grid.addRow(4, new Label("Rate"), rate);
        return section("Archiver (pg_stat_archiver and the archive directory)", grid);
    }

    private void confirmApply() {
        List<SettingComparison> changes = vm.pendingChanges();
        boolean restart = vm.applyNeedsRestart();
        String what = changes.isEmpty() ? "All settings are already in place; Apply installs the archive_command script again."
                : changes.stream().map(s -> s.name() + " = '" + s.recommended() + "' (now '" + s.current() + "')")
                .collect(Collectors.joining("\n"));
        Alert confirm = new Alert(restart ? Alert.AlertType.WARNING : Alert.AlertType.CONFIRMATION);
        confirm.initOwner(builtView().getScene().getWindow());
        confirm.setTitle("Apply archiving settings");
        confirm.setHeaderText(restart ? "wal_level and archive_mode take effect only after a server restart"
                : "Write these settings with ALTER SYSTEM and reload?");
        ButtonType applyOnly = new ButtonType(restart ? "Apply, restart later" : "Apply", ButtonBar.ButtonData.OK_DONE);
        ButtonType applyRestart = new ButtonType("Apply and restart the server", ButtonBar.ButtonData.OTHER);
        confirm.getButtonTypes().setAll(restart ? List.of(applyRestart, applyOnly, ButtonType.CANCEL) : List.of(applyOnly, ButtonType.CANCEL));
        String warning = restart ? "\n\nUntil the server restarts, WAL is NOT archived. Restarting ends every open session"
                + " (pg_ctl restart -m fast) and needs the data directory on this machine." : "";
        confirm.setContentText(what + warning);
        confirm.getDialogPane().lookupButton(applyOnly).setId("apply-confirm");
        if (restart) {
            confirm.getDialogPane().lookupButton(applyRestart).setId("apply-restart");
        }
        confirm.getDialogPane().setId("apply-dialog");
        confirm.showAndWait().ifPresent(b -> {
            if (b == applyOnly) {
                vm.apply(false);
            } else if (b == applyRestart) {
                vm.apply(true);
            }
        });
    }

    static Node section(String title, Node content) {
        Label l = new Label(title);
        l.getStyleClass().add(Styles.TITLE_4);
        return new VBox(8, l, content);
    }

    private static <T> TableColumn<T, String> column(String title, double width, java.util.function.Function<T, String> value) {
        TableColumn<T, String> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(d -> new SimpleStringProperty(value.apply(d.getValue())));
        return c;
    }

    private static Label stat(String id) {
        Label l = new Label("-");
        l.setId(id);
        return l;
    }

    private static Button button(String text, String id, Ikon icon) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        return b;
    }

    private static Region spacer() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }

    private static String dash(String s) {
        return s == null ? "-" : s;
    }

    private static String time(Instant t) {
        return t == null ? "-" : WHEN.format(t);
    }

    static String age(double seconds) {
        Duration d = Duration.ofSeconds((long) seconds);
        if (d.toHours() > 0) {
            return d.toHours() + " h " + d.toMinutesPart() + " min";
        }
        return d.toMinutes() > 0 ? d.toMinutes() + " min " + d.toSecondsPart() + " s" : d.toSeconds() + " s";
    }
}

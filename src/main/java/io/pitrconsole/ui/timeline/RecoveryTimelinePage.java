package io.pitrconsole.ui.timeline;

import atlantafx.base.theme.Styles;
import io.pitrconsole.core.ByteSize;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.ViewModelPage;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.stream.Collectors;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Separator;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * The Recovery Timeline page: a toolbar (fit, zoom, refresh), the timeline control, and a details
 * panel that says for the clicked moment which backup and how much WAL a restore needs, with
 * "Restore to here..." opening the restore wizard on it.
 */
public final class RecoveryTimelinePage extends ViewModelPage<TimelineViewModel> {
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx");

    private final ZoneId zone;

    public RecoveryTimelinePage(ConsoleModel model) {
        this(model, ZoneId.systemDefault());
    }

    public RecoveryTimelinePage(ConsoleModel model, ZoneId zone) {
        super(model, Pages.TIMELINE, Material2OutlinedMZ.TIMELINE, new TimelineViewModel(model, model.background(), zone));
        askForTheKeyFirst("timeline");
        this.zone = zone;
    }

    @Override
    protected Node build() {
        RecoveryTimeline timeline = new RecoveryTimeline(zone);
        timeline.dataProperty().bind(vm.dataProperty());
        timeline.darkProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> model.preferencesProperty().get() != null && model.preferencesProperty().get().dark(), model.preferencesProperty()));
        timeline.selectionProperty().addListener((obs, old, now) -> vm.pick(now));

        Label summary = new Label();
        summary.setId("timeline-summary");
        summary.getStyleClass().add(Styles.TEXT_MUTED);
        summary.textProperty().bind(vm.summaryProperty());
        // the summary keeps its whole width; the spacer before it gives way
        summary.setMinWidth(Region.USE_PREF_SIZE);
        ProgressIndicator busy = new ProgressIndicator();
        busy.setId("timeline-loading");
        busy.setPrefSize(18, 18);
        busy.visibleProperty().bind(vm.loadingProperty());
        busy.managedProperty().bind(busy.visibleProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        HBox toolbar = new HBox(6,
                button("timeline-fit", Material2OutlinedMZ.ZOOM_OUT_MAP, "Fit everything (0)", timeline::fit),
                button("timeline-zoom-in", Material2OutlinedMZ.ZOOM_IN, "Zoom in (+)", timeline::zoomIn),
                button("timeline-zoom-out", Material2OutlinedMZ.ZOOM_OUT, "Zoom out (-)", timeline::zoomOut),
                button("timeline-refresh", Material2OutlinedMZ.REFRESH, "Reload the archive (F5)", vm::refresh),
                spacer, busy, summary);
        toolbar.setAlignment(Pos.CENTER_LEFT);

        ScrollPane lanes = new ScrollPane(timeline);
        lanes.setFitToWidth(true);
        lanes.setFitToHeight(true);
        lanes.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        lanes.setPannable(false);
        lanes.setMinHeight(TimelineRenderer.height(1) + 4);
        VBox.setVgrow(lanes, Priority.ALWAYS);

        VBox root = new VBox(8, toolbar, lanes, new Separator(), details(), legend());
        root.setPadding(new Insets(0, 0, 4, 0));
        return root;
    }

    private Node details() {
        Label moment = new Label("Click the timeline to pick a moment.");
        moment.setId("timeline-moment");
        moment.getStyleClass().add(Styles.TEXT_BOLD);
        Label backup = new Label();
        backup.setId("timeline-backup");
        Label wal = new Label();
        wal.setId("timeline-wal");
        Button restore = new Button("Restore to here...", new FontIcon(Material2OutlinedMZ.RESTORE));
        restore.setId("timeline-restore");
        restore.getStyleClass().add(Styles.ACCENT);
        restore.setOnAction(e -> vm.restoreHere());
        restore.setVisible(false);
        restore.managedProperty().bind(restore.visibleProperty());

        vm.detailsProperty().addListener((obs, old, d) -> {
            if (d == null) {
                moment.setText("Click the timeline to pick a moment.");
                backup.setText("");
                wal.setText("");
                restore.setVisible(false);
                return;
            }
            moment.setText(EXACT.format(d.time().atZone(zone)) + " on timeline " + d.timeline()
                    + (d.restorable() ? "" : ": not restorable"));
            if (d.restorable()) {
                var w = d.window().orElseThrow();
                backup.setText("From backup " + w.backupId() + d.backup().map(b -> " (taken " + EXACT.format(b.stopTime().atZone(zone))
                        + ")").orElse("") + "; its window runs to " + EXACT.format(w.to().atZone(zone)));
                wal.setText(d.wal().map(n -> "Replays " + n.segments() + " WAL segment(s), " + ByteSize.of(n.bytes()).human()
                        + n.first().map(f -> " (" + f + " .. " + n.last().orElseThrow() + ")").orElse("")).orElse(""));
            } else {
                backup.setText(d.nearestRestorable().isEmpty() ? "No backup can restore to any moment yet."
                        : "Nearest restorable: " + d.nearestRestorable().stream().map(t -> EXACT.format(t.atZone(zone)))
                        .collect(Collectors.joining(" or ")));
                wal.setText("");
            }
            restore.setVisible(d.restorable());
        });
        VBox box = new VBox(4, moment, backup, wal, restore);
        box.setId("timeline-details");
        return box;
    }

    private static Node legend() {
        Label l = new Label("green: restorable   blue: archived WAL   red: gap   diamond: backup   flag: restore point   purple: timeline fork"
                + "   -   wheel or +/- zooms, drag pans, 0 fits");
        l.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        return l;
    }

    private static Button button(String id, Ikon icon, String tip, Runnable action) {
        Button b = new Button(null, new FontIcon(icon));
        b.setId(id);
        b.getStyleClass().addAll(Styles.BUTTON_ICON, Styles.FLAT);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }
}

package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import io.pitrconsole.recovery.target.RecoveryTarget.Kind;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.ui.RestorableStrip;
import io.pitrconsole.wal.RestorePoint;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import javafx.beans.binding.Bindings;
import javafx.collections.FXCollections;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.DatePicker;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Step 1: where to restore to, with an immediate answer whether it lies in a recovery window. */
final class TargetStepView {
    private static final Map<Kind, String> KINDS = Map.of(Kind.TIME, "Time", Kind.NAME, "Restore point", Kind.LSN, "LSN",
            Kind.XID, "Transaction id", Kind.IMMEDIATE, "End of a backup", Kind.LATEST, "Latest");

    private TargetStepView() {
    }

    static Node build(RestoreWizardViewModel vm) {
        TargetForm f = vm.target();
        ToggleGroup kinds = new ToggleGroup();
        FlowPane kindRow = new FlowPane(14, 6);
        for (Kind k : List.of(Kind.TIME, Kind.NAME, Kind.LSN, Kind.XID, Kind.IMMEDIATE, Kind.LATEST)) {
            RadioButton b = new RadioButton(KINDS.get(k));
            b.setId("target-kind-" + k.name().toLowerCase());
            b.setUserData(k);
            b.setToggleGroup(kinds);
            b.setSelected(f.kindProperty().get() == k);
            kindRow.getChildren().add(b);
        }
        kinds.selectedToggleProperty().addListener((o, a, b) -> {
            if (b != null) {
                f.kindProperty().set((Kind) b.getUserData());
            }
        });
        f.kindProperty().addListener((o, a, k) -> kinds.getToggles().stream().filter(t -> t.getUserData() == k).findFirst()
                .ifPresent(t -> t.setSelected(true)));

        DatePicker date = new DatePicker();
        date.setId("target-date");
        // the locale's format (12/4/2026 in the US) would be the one date on screen not written as the rest are
        date.setConverter(new javafx.util.converter.LocalDateStringConverter(java.time.format.DateTimeFormatter.ISO_LOCAL_DATE,
                java.time.format.DateTimeFormatter.ISO_LOCAL_DATE));
        date.setPromptText("yyyy-mm-dd");
        date.valueProperty().bindBidirectional(f.dateProperty());
        TextField time = new TextField();
        time.setId("target-time");
        time.setPromptText("HH:mm:ss[.ffffff] or 2026-11-25 14:03:00+01");
        time.setPrefColumnCount(24);
        time.textProperty().bindBidirectional(f.timeProperty());
        ComboBox<ZoneId> zone = new ComboBox<>(FXCollections.observableArrayList(zones(f.zoneProperty().get())));
        zone.setId("target-zone");
        zone.valueProperty().bindBidirectional(f.zoneProperty());
        f.zoneProperty().addListener((o, a, z) -> {
            if (z != null && !zone.getItems().contains(z)) {
                zone.getItems().add(0, z);
            }
        });
        HBox timeRow = new HBox(8, date, time, zone);
        timeRow.visibleProperty().bind(f.kindProperty().isEqualTo(Kind.TIME));
        timeRow.managedProperty().bind(timeRow.visibleProperty());

        ListView<RestorePoint> points = new ListView<>(vm.restorePoints());
        points.setId("target-restore-points");
        points.setPrefHeight(140);
        points.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(RestorePoint p, boolean empty) {
                super.updateItem(p, empty);
                setText(empty || p == null ? null : p.name() + "    " + f.show(p.time()) + "    timeline " + p.timeline() + ", LSN " + p.lsn());
            }
        });
        points.getSelectionModel().selectedItemProperty().addListener((o, a, p) -> {
            if (p != null) {
                f.restorePointProperty().set(p.name());
            }
        });
        points.setPlaceholder(new Label("no restore points in the archived WAL"));
        points.visibleProperty().bind(f.kindProperty().isEqualTo(Kind.NAME));
        points.managedProperty().bind(points.visibleProperty());

        TextField lsn = field("target-lsn", "0/3000148", f.lsnProperty(), Kind.LSN, f);
        TextField xid = field("target-xid", "7421", f.xidProperty(), Kind.XID, f);
        CheckBox inclusive = new CheckBox("Inclusive (stop just after the target, not just before it)");
        inclusive.setId("target-inclusive");
        inclusive.selectedProperty().bindBidirectional(f.inclusiveProperty());
        inclusive.visibleProperty().bind(Bindings.createBooleanBinding(
                () -> List.of(Kind.TIME, Kind.LSN, Kind.XID).contains(f.kindProperty().get()), f.kindProperty()));
        inclusive.managedProperty().bind(inclusive.visibleProperty());

        TextField timeline = new TextField();
        timeline.setId("target-timeline");
        timeline.setPromptText("chosen by the plan");
        timeline.setPrefColumnCount(10);
        timeline.textProperty().bindBidirectional(f.timelineProperty());
        HBox timelineRow = new HBox(8, new Label("Timeline"), timeline);
        timelineRow.setAlignment(javafx.geometry.Pos.CENTER_LEFT);

        Label error = Ui.label("target-error", Styles.DANGER);
        error.textProperty().bind(f.errorProperty());
        Label check = Ui.label("target-window-check");
        check.textProperty().bind(vm.windowCheckProperty());
        vm.insideWindowProperty().addListener((o, a, b) -> Ui.tone(check, b));
        Ui.tone(check, vm.insideWindowProperty().get());
        RestorableStrip strip = new RestorableStrip("target-window-strip", 22);
        strip.windowsProperty().bind(Bindings.createObjectBinding(() -> vm.windowsProperty().get() == null ? List.of()
                : vm.windowsProperty().get().liveMerged(), vm.windowsProperty()));
        strip.markerProperty().bind(Bindings.createObjectBinding(() -> {
            RecoveryTarget t = f.targetProperty().get();
            return t != null && t.kind() == Kind.TIME ? t.time().toInstant() : null;
        }, f.targetProperty()));
        Label summary = Ui.label("target-summary", Styles.TEXT_BOLD);
        summary.textProperty().bind(Bindings.createStringBinding(() -> f.targetProperty().get() == null ? ""
                : "Restore to " + f.targetProperty().get().describe(), f.targetProperty()));

        VBox box = Ui.column(Ui.heading("Where should the restore stop?"), kindRow, timeRow, points, lsn, xid, inclusive, timelineRow,
                error, summary, check, strip,
                Ui.muted("Green: moments the archive can restore to; red: not restorable (before the first backup, a WAL gap,"
                        + " or past the last archived transaction)."));
        box.setId("step-target");
        return box;
    }

    private static TextField field(String id, String prompt, javafx.beans.property.StringProperty p, Kind kind, TargetForm f) {
        TextField t = new TextField();
        t.setId(id);
        t.setPromptText(prompt);
        t.setMaxWidth(320);
        t.textProperty().bindBidirectional(p);
        t.visibleProperty().bind(f.kindProperty().isEqualTo(kind));
        t.managedProperty().bind(t.visibleProperty());
        return t;
    }

    private static List<ZoneId> zones(ZoneId current) {
        java.util.LinkedHashSet<ZoneId> z = new java.util.LinkedHashSet<>();
        z.add(current);
        z.add(ZoneId.systemDefault());
        z.add(java.time.ZoneOffset.UTC);
        ZoneId.getAvailableZoneIds().stream().sorted().filter(s -> s.contains("/")).map(ZoneId::of).forEach(z::add);
        return List.copyOf(z);
    }
}

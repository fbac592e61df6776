package io.pitrconsole.ui.dashboard;

import atlantafx.base.theme.Styles;
import io.pitrconsole.core.Finding;
import io.pitrconsole.schedule.HealthLevel;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.RestorableStrip;
import io.pitrconsole.ui.ViewModelPage;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/** At a glance: newest backup and its age, verification, archiver and RPO, gaps, size, restorable range, rehearsal. */
public final class DashboardPage extends ViewModelPage<DashboardViewModel> {
    private final PracticeViewModel practice;

    private final Label level = value("dash-level");
    private final Label newestBackup = value("dash-newest-backup");
    private final Label backupAge = value("dash-backup-age");
    private final Label verification = value("dash-verification");
    private final Label archiver = value("dash-archiver");
    private final Label rpo = value("dash-rpo");
    private final Label gaps = value("dash-gaps");
    private final Label size = value("dash-size");
    private final Label range = value("dash-range");
    private final Label rehearsal = value("dash-rehearsal");
    private final Label rto = value("dash-rto");
    private final VBox problems = new VBox(4);
    private final VBox ownStatus = new VBox(4);
    private final RestorableStrip strip = new RestorableStrip("dash-range-strip", 18);

    public DashboardPage(ConsoleModel model) {
        super(model, Pages.DASHBOARD, Material2OutlinedAL.DASHBOARD, new DashboardViewModel(model, model.background()));
        askForTheKeyFirst("dashboard");
        this.practice = new PracticeViewModel(model, model.background(), () -> viewModel().refresh());
    }

    public PracticeViewModel practice() {
        return practice;
    }

    @Override
    public void refresh() {
        super.refresh();
        practice.refresh();
    }

    @Override
    protected Node build() {
        Button backup = button("Back up now", Material2OutlinedAL.ADD, "dash-backup-now", "Open the create-backup dialog (Ctrl+B)");
        backup.getStyleClass().add(Styles.ACCENT);
        backup.setOnAction(e -> vm.backUpNow());
        Button verify = button("Verify", Material2OutlinedMZ.VERIFIED, "dash-verify", "Verify the newest backup against its manifest");
        verify.setOnAction(e -> vm.verifyNewest());
        verify.disableProperty().bind(vm.busyProperty().or(vm.summaryProperty().isNull()));
        Button rehearse = button("Rehearse restore", Material2OutlinedMZ.RESTORE, "dash-rehearse",
                "Restore into a throw-away cluster and check it (Restore view)");
        rehearse.setOnAction(e -> vm.rehearse());
        HBox actions = new HBox(8, backup, verify, rehearse);
        actions.setAlignment(Pos.CENTER_LEFT);
        actions.disableProperty().bind(vm.summaryProperty().isNull());

        GridPane grid = new GridPane();
        grid.setId("dash-grid");
        grid.setHgap(12);
        grid.setVgap(12);
        for (int i = 0; i < 3; i++) {
            ColumnConstraints c = new ColumnConstraints();
            c.setPercentWidth(100 / 3.0);
            c.setHgrow(Priority.ALWAYS);
            grid.getColumnConstraints().add(c);
        }
        grid.add(card("Newest backup", newestBackup, backupAge), 0, 0);
        grid.add(card("Last verification", verification), 1, 0);
        grid.add(card("Archive size", size), 2, 0);
        grid.add(card("Archiver", archiver), 0, 1);
        grid.add(card("Newest WAL (RPO)", rpo), 1, 1);
        grid.add(card("WAL gaps", gaps), 2, 1);
        grid.add(card("Restorable range", range, strip), 0, 2, 2, 1);
        grid.add(card("Last rehearsal (RTO)", rehearsal, rto), 2, 2);

        problems.setId("dash-problems");
        ownStatus.setId("dash-own-status");
        HBox head = new HBox(10, steadyWidth(level), actions);
        head.setAlignment(Pos.CENTER_LEFT);
        VBox status = new VBox(12, head, grid, ownStatus, problems);
        status.visibleProperty().bind(vm.summaryProperty().isNotNull());
        status.managedProperty().bind(status.visibleProperty());

        Label none = new Label();
        none.setId("dash-empty");
        none.setWrapText(true);
        none.getStyleClass().add(Styles.TEXT_MUTED);
        none.visibleProperty().bind(vm.summaryProperty().isNull());
        none.managedProperty().bind(none.visibleProperty());
        none.textProperty().bind(javafx.beans.binding.Bindings.createStringBinding(() -> model.session().isEmpty()
                ? "No cluster profile yet." : model.session().get().hasArchive()
                        ? (vm.loadingProperty().get() ? "Reading the archive..." : "Nothing read yet; press F5.")
                        : "The profile '" + model.session().get().name() + "' has no archive directory.",
                model.sessionProperty(), vm.loadingProperty(), vm.summaryProperty()));

        VBox content = new VBox(16, new PracticeCard(practice), none, status);
        content.setPadding(new Insets(0, 4, 8, 0));
        vm.summaryProperty().addListener((obs, old, s) -> show(s));
        show(vm.summaryProperty().get());
        ScrollPane scroll = new ScrollPane(content);
        scroll.setFitToWidth(true);
        scroll.getStyleClass().add("edge-to-edge");
        return scroll;
    }

    private void show(DashboardSummary s) {
        if (s == null) {
            return;
        }
        level.setText(healthText(s.level()));
        color(level, s.level());
        newestBackup.setText(s.newestBackup());
        backupAge.setText(s.newestBackupAge() + (s.backupStale() ? " - stale" : ""));
        danger(backupAge, s.backupStale());
        danger(newestBackup, s.newestBackupId().isEmpty());
        verification.setText(s.lastVerification());
        color(verification, s.verificationLevel());
        archiver.setText(s.archiver());
        color(archiver, s.archiverLevel());
        rpo.setText(s.rpo());
        color(rpo, s.rpoLevel());
        gaps.setText(s.gaps());
        color(gaps, s.gapsLevel());
        size.setText(s.totalSize());
        range.setText(s.range());
        strip.windowsProperty().set(s.windows());
        rehearsal.setText(s.rehearsal());
        danger(rehearsal, s.rehearsalOk().map(ok -> !ok).orElse(false));
        rto.setText("RTO " + s.rto());
        ownStatus.getChildren().clear();
        for (Finding c : s.ownStatus()) {
            Label l = new Label(c.check() + ": " + c.detail() + (c.level() == Finding.Level.PASS || c.consoleHint().isBlank() ? ""
                    : "\n  hint: " + c.consoleHint()));
            l.setWrapText(true);
            color(l, HealthLevel.of(c.level()));
            ownStatus.getChildren().add(l);
        }
        problems.getChildren().clear();
        for (Finding c : s.problems()) {
            Label l = new Label(c.check() + ": " + c.detail() + (c.consoleHint().isBlank() ? "" : "\n  hint: " + c.consoleHint()));
            l.setWrapText(true);
            color(l, HealthLevel.of(c.level()));
            problems.getChildren().add(l);
        }
    }

    private static String healthText(HealthLevel h) {
        return "Health: " + h.label().toUpperCase(Locale.ROOT);
    }

    /**
     * The health line as wide as its longest wording (hidden copies of each take their room), so
     * the buttons beside it stay put when "WARNING" becomes "OK".
     */
    private static Node steadyWidth(Label level) {
        javafx.scene.layout.StackPane box = new javafx.scene.layout.StackPane();
        box.setAlignment(Pos.CENTER_LEFT);
        for (HealthLevel h : HealthLevel.values()) {
            Label room = new Label(healthText(h));
            room.getStyleClass().setAll(level.getStyleClass());
            room.setVisible(false);
            box.getChildren().add(room);
        }
        level.setWrapText(false);
        box.getChildren().add(level);
        box.setMinWidth(Region.USE_PREF_SIZE);
        return box;
    }

    private static void color(Label l, HealthLevel level) {
        l.getStyleClass().removeAll(Styles.DANGER, Styles.WARNING, Styles.SUCCESS);
        l.getStyleClass().add(switch (level) {
            case OK -> Styles.SUCCESS;
            case WARNING -> Styles.WARNING;
            case CRITICAL -> Styles.DANGER;
        });
    }

    private static void danger(Label l, boolean on) {
        l.getStyleClass().remove(Styles.DANGER);
        if (on) {
            l.getStyleClass().add(Styles.DANGER);
        }
    }

    private static VBox card(String title, Node... values) {
        Label t = new Label(title);
        t.getStyleClass().addAll(Styles.TEXT_MUTED, Styles.TEXT_SMALL);
        VBox box = new VBox(4, t);
        box.getChildren().addAll(values);
        box.setPadding(new Insets(10));
        box.getStyleClass().addAll("dash-card", Styles.BG_SUBTLE, Styles.BORDER_DEFAULT, Styles.ROUNDED);
        box.setStyle("-fx-border-width: 1;");
        return box;
    }

    private static Label value(String id) {
        Label l = new Label("-");
        l.setId(id);
        l.setWrapText(true);
        return l;
    }

    private static Button button(String text, Ikon icon, String id, String tip) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        return b;
    }
}

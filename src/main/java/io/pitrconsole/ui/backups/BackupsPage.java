package io.pitrconsole.ui.backups;

import atlantafx.base.theme.Styles;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.EncryptionViews;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.ViewModelPage;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/** The backups view: table with filter, details of the selected backup, create / verify / delete. */
public final class BackupsPage extends ViewModelPage<BackupsViewModel> {
    public BackupsPage(ConsoleModel model) {
        super(model, Pages.BACKUPS, Material2OutlinedAL.ARCHIVE, new BackupsViewModel(model, model.background()));
        // Ctrl+B and the dashboard's "Back up now" open the create dialog here
        model.backupNowActionProperty().set(() -> {
            model.navigate(Pages.BACKUPS);
            openCreateDialog();
        });
    }

    @Override
    protected Node build() {
        TextField filter = new TextField();
        filter.setId("backup-filter");
        filter.setPromptText("Filter: id, label, status, date...");
        filter.setPrefWidth(260);
        filter.textProperty().bindBidirectional(vm.filterProperty());

        Button create = button("Create", Material2OutlinedAL.ADD, "backup-create", "Take a base backup now (Ctrl+B)");
        create.getStyleClass().add(Styles.ACCENT);
        create.setOnAction(e -> openCreateDialog());
        Button verify = button("Verify", Material2OutlinedMZ.VERIFIED, "backup-verify",
                "Check every file of the selected backup against its manifest");
        verify.setOnAction(e -> vm.verify(vm.selectedProperty().get().id()));
        Button delete = button("Delete", Material2OutlinedAL.DELETE, "backup-delete", "Delete the selected backup for good");
        delete.getStyleClass().add(Styles.DANGER);
        delete.setOnAction(e -> confirmDelete());
        Button reload = button(null, Material2OutlinedMZ.REFRESH, "backup-refresh", "Reload (F5)");
        reload.setOnAction(e -> vm.refresh());

        var busy = vm.activeTaskProperty().isNotNull();
        var keyNeeded = vm.encryption().keyNeededProperty();
        create.disableProperty().bind(busy.or(vm.emptyStateProperty().isNotEmpty()).or(keyNeeded));
        verify.disableProperty().bind(busy.or(Bindings.createBooleanBinding(
                () -> vm.selectedProperty().get() == null || !vm.selectedProperty().get().verifiable(), vm.selectedProperty())));
        delete.disableProperty().bind(busy.or(vm.selectedProperty().isNull()));

        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        // actions on the left: the window's notifications appear top right and may cover that corner for a while
        javafx.scene.control.ProgressIndicator reading = new javafx.scene.control.ProgressIndicator();
        reading.setId("backups-loading");
        reading.setPrefSize(18, 18);
        reading.visibleProperty().bind(vm.loadingProperty());
        HBox toolbar = new HBox(8, create, verify, delete, reload, reading, spacer, filter);
        toolbar.setAlignment(Pos.CENTER_LEFT);

        SplitPane split = new SplitPane(new BackupTable(vm), new BackupDetailsPane(vm));
        split.setOrientation(javafx.geometry.Orientation.VERTICAL);
        split.setDividerPositions(0.55);

        Label empty = new Label();
        empty.setId("backups-empty");
        empty.setWrapText(true);
        empty.getStyleClass().add(Styles.TEXT_MUTED);
        empty.textProperty().bind(vm.emptyStateProperty());
        StackPane emptyBox = new StackPane(empty);
        emptyBox.setPadding(new Insets(24));
        emptyBox.visibleProperty().bind(vm.emptyStateProperty().isNotEmpty());
        split.visibleProperty().bind(vm.emptyStateProperty().isEmpty().and(keyNeeded.not()));
        Node askForKey = EncryptionViews.keyNeeded(vm.encryption(), model, "backups");
        StackPane.setAlignment(askForKey, Pos.TOP_LEFT);
        StackPane centre = new StackPane(split, emptyBox, askForKey);

        VBox top = new VBox(8, toolbar, EncryptionViews.stateLine(vm.encryption(), "backups-encryption"), progressStrip());
        BorderPane root = new BorderPane(centre);
        root.setTop(top);
        BorderPane.setMargin(top, new Insets(0, 0, 8, 0));
        return root;
    }

    /** Progress of the running create or verify, with a cancel that stops pg_basebackup and cleans up. */
    private HBox progressStrip() {
        Label what = new Label();
        what.setId("backup-progress-message");
        ProgressBar bar = new ProgressBar();
        bar.setPrefWidth(220);
        Button cancel = button("Cancel", Material2OutlinedAL.CLOSE, "backup-progress-cancel", "Stop it; partial files are removed");
        cancel.getStyleClass().add(Styles.SMALL);
        HBox strip = new HBox(10, bar, what, cancel);
        strip.setId("backup-progress");
        strip.setAlignment(Pos.CENTER_LEFT);
        strip.visibleProperty().bind(vm.activeTaskProperty().isNotNull());
        strip.managedProperty().bind(strip.visibleProperty());
        vm.activeTaskProperty().addListener((obs, old, task) -> {
            what.textProperty().unbind();
            bar.progressProperty().unbind();
            cancel.disableProperty().unbind();
            if (task != null) {
                // after Cancel the service still stops pg_basebackup and cleans up; say so until it has
                var cancelled = task.cancellingProperty();
                what.textProperty().bind(Bindings.when(cancelled).then(task.title() + ": stopping and removing partial files...")
                        .otherwise(Bindings.concat(task.title(), ": ", task.messageProperty())));
                bar.progressProperty().bind(task.progressProperty());
                cancel.disableProperty().bind(cancelled);
                cancel.setOnAction(e -> task.cancel());
            }
        });
        return strip;
    }

    private void openCreateDialog() {
        Node view = builtView();
        if (!vm.canCreate() || vm.activeTaskProperty().get() != null || view == null || view.getScene() == null) {
            if (!vm.canCreate()) {
                model.notify(io.pitrconsole.ui.Notice.info(vm.encryption().keyNeededProperty().get()
                        ? "The archive is encrypted: choose its key file on the Backups page before backing up into it"
                        : "There is no archive to back up into: choose a profile with an archive directory"));
            }
            return;
        }
        CreateBackupDialog dialog = new CreateBackupDialog(view.getScene().getWindow(), vm.defaultCompression(),
                model.session().map(s -> s.profile().archive()).orElse(""));
        dialog.setOnHidden(e -> {
            CreateBackupDialog.Choice choice = dialog.getResult();
            if (choice != null) {
                vm.create(choice.compression(), choice.label(), choice.maxRate());
            }
        });
        dialog.show();
    }

    private void confirmDelete() {
        BackupRow row = vm.selectedProperty().get();
        if (row == null) {
            return;
        }
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION,
                "Delete " + row.id() + " and all its files for good? Moments only this backup can restore to are lost.",
                ButtonType.CANCEL, ButtonType.OK);
        confirm.initOwner(builtView().getScene().getWindow());
        confirm.setTitle("Delete backup");
        confirm.setHeaderText("Delete " + row.id() + "?");
        confirm.getDialogPane().lookupButton(ButtonType.OK).setId("delete-ok");
        ((Button) confirm.getDialogPane().lookupButton(ButtonType.OK)).setText("Delete");
        confirm.setOnHidden(e -> {
            if (confirm.getResult() == ButtonType.OK) {
                vm.delete(row.id());
            }
        });
        confirm.show();
    }

    private static Button button(String text, Ikon icon, String id, String tip) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        return b;
    }
}

package io.pitrconsole.ui.restore;

import atlantafx.base.theme.Styles;
import io.pitrconsole.recovery.RestoreMode;
import java.util.List;
import javafx.beans.binding.Bindings;
import javafx.scene.Node;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.VBox;

/** Step 2: a rehearsal in a sandbox (default), or in place over the cluster's data directory with a typed confirmation. */
final class ModeStepView {
    private ModeStepView() {
    }

    static Node build(RestoreWizardViewModel vm) {
        ToggleGroup group = new ToggleGroup();
        RadioButton rehearsal = new RadioButton("Rehearsal: restore into a new sandbox on its own port, check it, report (production is not touched)");
        rehearsal.setId("mode-rehearsal");
        rehearsal.setToggleGroup(group);
        RadioButton inPlace = new RadioButton("In place: replace the cluster's data directory (the old one is kept aside for rollback)");
        inPlace.setId("mode-in-place");
        inPlace.setToggleGroup(group);
        (vm.mode().modeProperty().get() == RestoreMode.IN_PLACE ? inPlace : rehearsal).setSelected(true);
        group.selectedToggleProperty().addListener((o, a, b) -> {
            if (b != null) {
                vm.mode().modeProperty().set(b == inPlace ? RestoreMode.IN_PLACE : RestoreMode.REHEARSAL);
            }
        });
        vm.mode().modeProperty().addListener((o, a, m) -> (m == RestoreMode.IN_PLACE ? inPlace : rehearsal).setSelected(true));

        TextField port = text("mode-port", "a free port", vm.mode().sandboxPortProperty());
        TextField dir = text("mode-dir", "a new temporary directory", vm.mode().sandboxDirProperty());
        CheckBox keep = new CheckBox("Keep the sandbox server running after the report (to look around with psql)");
        keep.setId("mode-keep");
        keep.selectedProperty().bindBidirectional(vm.mode().keepRunningProperty());
        VBox rehearsalBox = Ui.column(Ui.form(List.of("Port", "Directory"), List.of(port, dir)), keep,
                Ui.muted("The sandbox runs with archiving off and listens on 127.0.0.1 only; it never writes into the archive."));
        rehearsalBox.visibleProperty().bind(rehearsal.selectedProperty());
        rehearsalBox.managedProperty().bind(rehearsalBox.visibleProperty());

        TextField dataDir = text("mode-data-dir", "the cluster's data directory", vm.mode().dataDirProperty());
        dataDir.setPrefColumnCount(40);
        TextField confirm = text("mode-confirm", "", vm.mode().confirmationProperty());
        confirm.promptTextProperty().bind(Bindings.createStringBinding(() -> vm.backendProperty().get() == null ? ""
                : "type " + vm.backendProperty().get().clusterName(), vm.backendProperty()));
        Label warning = Ui.label("mode-warning", Styles.WARNING);
        warning.textProperty().bind(Bindings.createStringBinding(() -> "This stops the server running on " + vm.mode().dataDirProperty().get()
                + " (its connections are cut), moves that directory aside and restores the backup in its place. If anything fails,"
                + " or you cancel, the old directory is put back and the server restarted. After a successful restore the old"
                + " directory stays beside it until you roll back or delete it: make sure the disk has room for both.",
                vm.mode().dataDirProperty()));
        VBox inPlaceBox = Ui.column(Ui.form(List.of("Data directory", "Type the profile name"), List.of(dataDir, confirm)), warning);
        inPlaceBox.visibleProperty().bind(inPlace.selectedProperty());
        inPlaceBox.managedProperty().bind(inPlaceBox.visibleProperty());

        TextField database = text("mode-verify-db", "postgres", vm.mode().verifyDatabaseProperty());
        TextField schema = text("mode-verify-schema", "public", vm.mode().verifySchemaProperty());
        database.setPrefColumnCount(14);
        schema.setPrefColumnCount(14);
        VBox checks = Ui.column(Ui.heading("Checks after the restore"),
                Ui.form(List.of("Database", "Count the rows of every table in schema"), List.of(database, schema)));

        Label error = Ui.label("mode-error", Styles.DANGER);
        error.textProperty().bind(vm.mode().errorProperty());
        VBox box = Ui.column(Ui.heading("How should it be restored?"), rehearsal, rehearsalBox, inPlace, inPlaceBox, checks, error);
        box.setId("step-mode");
        return box;
    }

    private static TextField text(String id, String prompt, javafx.beans.property.StringProperty p) {
        TextField t = new TextField();
        t.setId(id);
        t.setPromptText(prompt);
        t.setPrefColumnCount(28);
        t.textProperty().bindBidirectional(p);
        return t;
    }
}

package io.pitrconsole.ui.backups;

import io.pitrconsole.archive.Compression;
import javafx.geometry.Insets;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** Asks for a new backup's compression (the preference by default), label and transfer rate limit. */
final class CreateBackupDialog extends Dialog<CreateBackupDialog.Choice> {
    /** What the user chose. */
    record Choice(Compression compression, String label, String maxRate) {
    }

    static final ButtonType CREATE = new ButtonType("Create backup", ButtonBar.ButtonData.OK_DONE);

    CreateBackupDialog(Window owner, Compression defaultCompression, String archive) {
        initOwner(owner);
        setTitle("Create backup");
        setHeaderText("Take a base backup into " + archive);
        ComboBox<Compression> compression = new ComboBox<>();
        compression.getItems().setAll(Compression.values());
        compression.setValue(defaultCompression);
        compression.setId("create-compression");
        TextField label = new TextField();
        label.setId("create-label");
        label.setPromptText("default: the backup id");
        TextField maxRate = new TextField();
        maxRate.setId("create-max-rate");
        maxRate.setPromptText("unlimited; e.g. 50M to spare a busy server");
        // wide enough for the prompt, which says what to type
        maxRate.setPrefColumnCount(24);
        label.setPrefColumnCount(24);
        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        grid.setPadding(new Insets(10));
        grid.addRow(0, new Label("Compression"), compression);
        grid.addRow(1, new Label("Label"), label);
        grid.addRow(2, new Label("Max rate"), maxRate);
        getDialogPane().setContent(grid);
        getDialogPane().getButtonTypes().setAll(CREATE, ButtonType.CANCEL);
        getDialogPane().lookupButton(CREATE).setId("create-ok");
        getDialogPane().lookupButton(ButtonType.CANCEL).setId("create-cancel");
        setResultConverter(b -> b == CREATE ? new Choice(compression.getValue(), label.getText(), maxRate.getText()) : null);
    }
}

package io.pitrconsole.ui.settings;

import atlantafx.base.theme.Styles;
import io.pitrconsole.config.Profile;
import io.pitrconsole.core.PitrException;
import javafx.beans.property.StringProperty;
import javafx.event.ActionEvent;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;

/** Adds or edits one cluster profile, with a "Test connection" that asks the server itself. */
final class ProfileDialog extends Dialog<Profile> {
    static final String PASSWORD_NOTE = "No password is stored here: the console, like psql, reads it from ~/.pgpass"
            + " or from the file PGPASSFILE names.";

    private final ProfileForm form;
    private final Label error = new Label();

    ProfileDialog(Window owner, SettingsViewModel vm, ProfileForm form) {
        this.form = form;
        initOwner(owner);
        setTitle(form.originalName() == null ? "Add cluster profile" : "Edit profile " + form.originalName());
        setHeaderText(null);

        GridPane grid = new GridPane();
        grid.setHgap(10);
        grid.setVgap(8);
        int row = 0;
        row = field(grid, row, "Name", "profile-name", form.name(), "prod");
        row = field(grid, row, "Host", "profile-host", form.host(), "localhost (or PGHOST)");
        row = field(grid, row, "Port", "profile-port", form.port(), "5432 (or PGPORT)");
        row = field(grid, row, "User", "profile-user", form.user(), "your OS user (or PGUSER)");
        row = field(grid, row, "Database", "profile-database", form.database(), "postgres (or PGDATABASE)");
        row = field(grid, row, "Data directory", "profile-data-dir", form.dataDirectory(), "/var/lib/postgresql/15/main");
        row = field(grid, row, "OS user", "profile-os-user", form.osUser(), "postgres");
        row = field(grid, row, "Archive directory", "profile-archive", form.archive(), "/backups/pitr");
        row = field(grid, row, "PostgreSQL bin directory", "profile-pg-bin", form.pgBin(), "found on the PATH when empty");
        CheckBox makeDefault = new CheckBox("Use this profile when the console starts");
        makeDefault.setId("profile-make-default");
        makeDefault.selectedProperty().bindBidirectional(form.makeDefault());
        grid.add(makeDefault, 1, row);

        Label pass = new Label(PASSWORD_NOTE, new FontIcon(Material2OutlinedAL.LOCK));
        pass.setId("profile-password-note");
        pass.setWrapText(true);
        pass.getStyleClass().add(Styles.TEXT_MUTED);
        // a wrapped label in a dialog only grows downwards when its minimum height follows its text
        pass.setMinHeight(Region.USE_PREF_SIZE);

        Button test = new Button("Test connection", new FontIcon(Material2OutlinedAL.LINK));
        test.setId("profile-test");
        test.disableProperty().bind(form.testingProperty());
        test.setOnAction(e -> vm.testConnection(form));
        // a fixed-height, selectable area: a long error with its hint must neither grow the dialog
        // past the screen nor be cut off, and the user may want to copy it
        TextArea result = new TextArea();
        result.setId("profile-test-result");
        result.setEditable(false);
        result.setWrapText(true);
        result.setPrefRowCount(3);
        result.setFocusTraversable(false);
        result.textProperty().bind(form.testResultProperty());
        form.testPassedProperty().addListener((obs, was, ok) -> {
            result.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
            result.getStyleClass().add(ok ? Styles.SUCCESS : Styles.DANGER);
        });
        error.setId("profile-error");
        error.getStyleClass().add(Styles.DANGER);
        error.setWrapText(true);
        error.setMinHeight(Region.USE_PREF_SIZE);

        VBox content = new VBox(12, grid, pass, test, result, error);
        content.setPadding(new Insets(8));
        content.setPrefWidth(560);
        getDialogPane().setContent(content);
        ButtonType save = new ButtonType("Save", ButtonBar.ButtonData.OK_DONE);
        getDialogPane().getButtonTypes().addAll(save, ButtonType.CANCEL);
        Button saveButton = (Button) getDialogPane().lookupButton(save);
        saveButton.setId("profile-save");
        ((Button) getDialogPane().lookupButton(ButtonType.CANCEL)).setId("profile-cancel");
        // keep the dialog open with the reason shown when a value cannot work
        saveButton.addEventFilter(ActionEvent.ACTION, e -> {
            try {
                form.toProfile();
                error.setText("");
            } catch (PitrException ex) {
                error.setText(ex.getMessage() + (ex.consoleHint().isBlank() ? "" : "\nHint: " + ex.consoleHint()));
                e.consume();
            }
        });
        setResultConverter(b -> b == save ? form.toProfile() : null);
    }

    ProfileForm form() {
        return form;
    }

    private static int field(GridPane grid, int row, String label, String id, StringProperty value, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        f.setPrefColumnCount(28);
        f.textProperty().bindBidirectional(value);
        Label l = new Label(label);
        l.setMinWidth(Region.USE_PREF_SIZE);
        grid.add(l, 0, row);
        grid.add(f, 1, row);
        return row + 1;
    }
}

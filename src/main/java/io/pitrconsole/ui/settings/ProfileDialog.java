package io.pitrconsole.ui.settings;

import atlantafx.base.theme.Styles;
import io.pitrconsole.config.Profile;
import io.pitrconsole.core.PitrException;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
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
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;

/**
 * Adds or edits one cluster profile, with a "Test connection" that asks the server itself and a
 * "Test archive" that lists the archive (a directory, or a bucket with its S3 service's fields).
 */
final class ProfileDialog extends Dialog<Profile> {
    static final String PASSWORD_NOTE = "No password is stored here: the console, like psql, reads it from ~/.pgpass"
            + " or from the file PGPASSFILE names.";
    static final String KEYS_NOTE = "No S3 key is stored here: the console, like the AWS tools, takes AWS_ACCESS_KEY_ID and"
            + " AWS_SECRET_ACCESS_KEY from its environment, else the AWS_PROFILE profile of ~/.aws/credentials.";
    static final String KEY_FILE_NOTE = "For an encrypted archive: its age key file. The key stays in its file; only its path is saved"
            + " in the profile. Leave empty for an archive that is not encrypted.";

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
        row = field(grid, row, "Archive", "profile-archive", form.archive(), "/backups/pitr or s3://bucket/prefix");
        // the S3 service's fields matter only for a bucket; shown as soon as the archive names one
        BooleanBinding bucket = Bindings.createBooleanBinding(form::isBucket, form.archive());
        row = bucketRow(grid, row, field(grid, row, "S3 endpoint", "profile-s3-endpoint", form.s3Endpoint(),
                "https://minio.example.com:9000 (empty for AWS)"), bucket);
        row = bucketRow(grid, row, field(grid, row, "S3 region", "profile-s3-region", form.s3Region(),
                "us-east-1 (or AWS_REGION)"), bucket);
        CheckBox pathStyle = new CheckBox("Bucket in the URL's path (MinIO, Ceph, most S3-compatible services)");
        pathStyle.setId("profile-s3-path-style");
        pathStyle.selectedProperty().bindBidirectional(form.s3PathStyle());
        grid.add(pathStyle, 1, row);
        row = bucketRow(grid, row, row + 1, bucket);
        Label keys = new Label(KEYS_NOTE, new FontIcon(Material2OutlinedAL.LOCK));
        keys.setId("profile-s3-keys-note");
        keys.setWrapText(true);
        keys.getStyleClass().add(Styles.TEXT_MUTED);
        keys.setMinHeight(Region.USE_PREF_SIZE);
        keys.setPrefWidth(380);
        grid.add(keys, 1, row);
        row = bucketRow(grid, row, row + 1, bucket);
        row = keyFileRow(grid, row, vm, form);
        Button testArchive = new Button("Test archive", new FontIcon(Material2OutlinedAL.FOLDER_OPEN));
        testArchive.setId("profile-test-archive");
        testArchive.disableProperty().bind(form.testingArchiveProperty().or(Bindings.createBooleanBinding(
                () -> form.archive().get() == null || form.archive().get().isBlank(), form.archive())));
        testArchive.setOnAction(e -> vm.testArchive(form));
        TextArea archiveResult = resultArea("profile-test-archive-result", form.archiveResultProperty(), form.archivePassedProperty(),
                form.testingArchiveProperty());
        archiveResult.setPrefRowCount(2);
        archiveResult.visibleProperty().bind(form.archiveResultProperty().isNotEmpty());
        archiveResult.managedProperty().bind(archiveResult.visibleProperty());
        grid.add(new VBox(6, testArchive, archiveResult), 1, row);
        row++;
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
        TextArea result = resultArea("profile-test-result", form.testResultProperty(), form.testPassedProperty(), form.testingProperty());
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
        // a dialog keeps the size it opened with: it grows (and shrinks) with the S3 fields and the archive's test result
        Runnable fit = () -> javafx.application.Platform.runLater(() -> {
            if (getDialogPane().getScene() != null && getDialogPane().getScene().getWindow() != null) {
                getDialogPane().getScene().getWindow().sizeToScene();
            }
        });
        bucket.addListener((obs, was, now) -> fit.run());
        archiveResult.visibleProperty().addListener((obs, was, now) -> fit.run());
    }

    ProfileForm form() {
        return form;
    }

    // a fixed-height, selectable area: a long error with its hint must neither grow the dialog
    // past the screen nor be cut off, and the user may want to copy it
    private static TextArea resultArea(String id, ReadOnlyStringProperty text, ReadOnlyBooleanProperty passed, ReadOnlyBooleanProperty running) {
        TextArea result = new TextArea();
        result.setId(id);
        result.setEditable(false);
        result.setWrapText(true);
        result.setPrefRowCount(3);
        result.setFocusTraversable(false);
        result.textProperty().bind(text);
        // from the outcome, not from a change of it: a first test that fails is red too
        Runnable style = () -> {
            result.getStyleClass().removeAll(Styles.SUCCESS, Styles.DANGER);
            if (!running.get() && !text.get().isEmpty()) {
                result.getStyleClass().add(passed.get() ? Styles.SUCCESS : Styles.DANGER);
            }
        };
        text.addListener((obs, was, now) -> style.run());
        passed.addListener((obs, was, now) -> style.run());
        running.addListener((obs, was, now) -> style.run());
        return result;
    }

    // the key file's path, typed or browsed for, and the note that only the path is kept
    private static int keyFileRow(GridPane grid, int row, SettingsViewModel vm, ProfileForm form) {
        TextField path = new TextField();
        path.setId("profile-key-file");
        path.setPromptText("/path/to/archive.key (empty: not encrypted)");
        path.textProperty().bindBidirectional(form.encryptionKeyFile());
        HBox.setHgrow(path, Priority.ALWAYS);
        Button browse = new Button("Browse...", new FontIcon(Material2OutlinedAL.FOLDER_OPEN));
        browse.setId("profile-key-file-browse");
        browse.setOnAction(e -> vm.keyFileChooser().choose(browse.getScene().getWindow())
                .ifPresent(f -> form.encryptionKeyFile().set(f.toAbsolutePath().normalize().toString())));
        Label l = new Label("Encryption key file");
        l.setMinWidth(Region.USE_PREF_SIZE);
        grid.add(l, 0, row);
        grid.add(new HBox(8, path, browse), 1, row);
        Label note = new Label(KEY_FILE_NOTE, new FontIcon(Material2OutlinedAL.LOCK));
        note.setId("profile-key-file-note");
        note.setWrapText(true);
        note.getStyleClass().add(Styles.TEXT_MUTED);
        note.setMinHeight(Region.USE_PREF_SIZE);
        note.setPrefWidth(380);
        grid.add(note, 1, row + 1);
        return olderKeyFilesRow(grid, row + 2, vm, form);
    }

    // after a key change (`key add`) the older keys still read the files written before it: one path a line
    private static int olderKeyFilesRow(GridPane grid, int row, SettingsViewModel vm, ProfileForm form) {
        TextArea paths = new TextArea();
        paths.setId("profile-old-key-files");
        paths.setPromptText("older key files, one a line (after a key change, until `key rotate`)");
        paths.setPrefRowCount(2);
        paths.textProperty().bindBidirectional(form.encryptionOldKeyFiles());
        HBox.setHgrow(paths, Priority.ALWAYS);
        Button add = new Button("Add...", new FontIcon(Material2OutlinedAL.ADD));
        add.setId("profile-old-key-file-add");
        add.setOnAction(e -> vm.keyFileChooser().choose(add.getScene().getWindow())
                .ifPresent(f -> form.addOldKeyFile(f.toAbsolutePath().normalize().toString())));
        Label l = new Label("Older key files");
        l.setMinWidth(Region.USE_PREF_SIZE);
        grid.add(l, 0, row);
        grid.add(new HBox(8, paths, add), 1, row);
        return row + 1;
    }

    // shows the nodes of grid rows [from, to) only while the archive names a bucket
    private static int bucketRow(GridPane grid, int from, int to, BooleanBinding bucket) {
        for (javafx.scene.Node n : grid.getChildren()) {
            Integer r = GridPane.getRowIndex(n);
            if (r != null && r >= from && r < to) {
                n.visibleProperty().bind(bucket);
                n.managedProperty().bind(bucket);
            }
        }
        return to;
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

package io.pitrconsole.ui;

import atlantafx.base.theme.Styles;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/** The nodes that show a {@link RepositoryEncryptionModel}: the state line, and the notice that asks for the key file. */
public final class EncryptionViews {
    private EncryptionViews() {
    }

    /** "Encrypted with age, key fingerprint ..." or "Not encrypted", with a lock; hidden while empty. */
    public static Label stateLine(RepositoryEncryptionModel vm, String id) {
        Label line = new Label();
        line.setId(id);
        line.textProperty().bind(vm.stateProperty());
        line.getStyleClass().add(Styles.TEXT_MUTED);
        FontIcon locked = new FontIcon(Material2OutlinedAL.LOCK);
        FontIcon open = new FontIcon(Material2OutlinedAL.LOCK_OPEN);
        line.graphicProperty().bind(javafx.beans.binding.Bindings.when(vm.encryptedProperty())
                .<Node>then(locked).otherwise(open));
        line.managedProperty().bind(vm.stateProperty().isNotEmpty());
        line.visibleProperty().bind(line.managedProperty());
        return line;
    }

    /**
     * What the page shows instead of the repository when it needs a key the profile does not give:
     * the failure with its hint, and "Choose key file..." (the console's key file chooser), or "Add
     * older key file..." when the current key is given and an older one is missing; shown only
     * while a key is needed.
     */
    public static Node keyNeeded(RepositoryEncryptionModel vm, ConsoleModel console, String idPrefix) {
        Label title = new Label("This archive is encrypted", new FontIcon(Material2OutlinedAL.LOCK));
        title.getStyleClass().add(Styles.TITLE_4);
        Label problem = new Label();
        problem.setId(idPrefix + "-key-problem");
        problem.setWrapText(true);
        problem.setMinHeight(Region.USE_PREF_SIZE);
        problem.textProperty().bind(vm.problemProperty());
        Label hint = new Label();
        hint.setId(idPrefix + "-key-hint");
        hint.setWrapText(true);
        hint.setMinHeight(Region.USE_PREF_SIZE);
        hint.getStyleClass().add(Styles.TEXT_MUTED);
        hint.textProperty().bind(javafx.beans.binding.Bindings.concat("Hint: ", vm.hintProperty()));
        Button choose = new Button("", new FontIcon(Material2OutlinedMZ.VPN_KEY));
        // after a key change the current key may be there and an older one missing: that one is added, not swapped in
        choose.textProperty().bind(javafx.beans.binding.Bindings.when(vm.olderKeyNeededProperty())
                .then("Add older key file...").otherwise("Choose key file..."));
        choose.setId(idPrefix + "-choose-key");
        choose.getStyleClass().add(Styles.ACCENT);
        choose.disableProperty().bind(vm.checkingKeyProperty());
        choose.setOnAction(e -> console.keyFileChooserProperty().get().choose(choose.getScene().getWindow()).ifPresent(vm::useKeyFile));
        Label note = new Label("The key stays in its file: only its path is saved in the profile.");
        note.getStyleClass().add(Styles.TEXT_MUTED);
        HBox actions = new HBox(10, choose, note);
        actions.setAlignment(Pos.CENTER_LEFT);
        VBox box = new VBox(10, title, problem, hint, actions);
        box.setId(idPrefix + "-key-needed");
        box.setPadding(new Insets(16));
        box.setMaxWidth(720);
        box.setMaxHeight(Region.USE_PREF_SIZE);
        box.visibleProperty().bind(vm.keyNeededProperty());
        box.managedProperty().bind(box.visibleProperty());
        return box;
    }
}

package io.pitrconsole.ui.settings;

import atlantafx.base.controls.ToggleSwitch;
import atlantafx.base.theme.Styles;
import io.pitrconsole.config.Profile;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Page;
import io.pitrconsole.ui.Pages;
import io.pitrconsole.ui.UiPreferences;
import java.util.List;
import java.util.Optional;
import javafx.beans.binding.Bindings;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.Spinner;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.material2.Material2OutlinedAL;
import org.kordamp.ikonli.material2.Material2OutlinedMZ;

/**
 * Settings: the cluster profiles (add, edit, test, remove, make default) and the console's own
 * preferences (theme, default compression for new backups, when a backup counts as stale).
 * Preferences apply as soon as they change.
 */
public final class SettingsPage implements Page {
    static final List<String> COMPRESSIONS = List.of("zstd", "lz4", "gzip", "none");

    private final SettingsViewModel vm;
    private Node view;
    private final ListView<Profile> list = new ListView<>();

    public SettingsPage(ConsoleModel model) {
        this.vm = new SettingsViewModel(model, model.background());
    }

    SettingsViewModel viewModel() {
        return vm;
    }

    @Override
    public String title() {
        return Pages.SETTINGS;
    }

    @Override
    public Ikon icon() {
        return Material2OutlinedMZ.SETTINGS;
    }

    @Override
    public Node view() {
        if (view == null) {
            VBox box = new VBox(18, profilesSection(), preferencesSection());
            box.setPadding(new Insets(4, 4, 16, 4));
            ScrollPane scroll = new ScrollPane(box);
            scroll.setFitToWidth(true);
            view = scroll;
        }
        return view;
    }

    @Override
    public void refresh() {
        list.refresh();
        vm.refresh();
    }

    private Node profilesSection() {
        Label heading = heading("Cluster profiles");
        Label note = new Label("Each profile names a cluster: how to connect, its data directory, the OS user that runs it,"
                + " and the archive directory with its backups and WAL. " + ProfileDialog.PASSWORD_NOTE);
        note.setWrapText(true);
        note.getStyleClass().add(Styles.TEXT_MUTED);

        list.setId("profile-list");
        list.setItems(vm.profiles());
        list.setPrefHeight(180);
        list.setCellFactory(v -> new ProfileCell());
        list.setPlaceholder(new Label("No profiles yet: add one for each cluster."));
        vm.defaultProfileProperty().addListener((obs, was, now) -> list.refresh());
        // a saved profile is the selected one once the list shows it
        vm.savedProperty().addListener((obs, was, name) -> vm.profiles().stream().filter(x -> x.name().equals(name)).findFirst()
                .ifPresent(x -> list.getSelectionModel().select(x)));
        // the "active" mark follows the status bar's profile picker: the shell refreshes this page when the profile changes

        Button add = button("Add...", "profile-add", Material2OutlinedAL.ADD);
        add.setOnAction(e -> openDialog(ProfileForm.create()));
        Button edit = button("Edit...", "profile-edit", Material2OutlinedAL.EDIT);
        edit.setOnAction(e -> selected().ifPresent(p -> openDialog(ProfileForm.edit(p))));
        Button makeDefault = button("Make default", "profile-default", Material2OutlinedMZ.STAR_OUTLINE);
        makeDefault.setOnAction(e -> selected().ifPresent(vm::makeDefault));
        Button remove = button("Remove...", "profile-remove", Material2OutlinedAL.DELETE);
        remove.getStyleClass().add(Styles.DANGER);
        remove.setOnAction(e -> selected().ifPresent(this::confirmRemove));
        for (Button b : List.of(edit, makeDefault, remove)) {
            b.disableProperty().bind(Bindings.isNull(list.getSelectionModel().selectedItemProperty()));
        }
        list.setOnMouseClicked(e -> {
            if (e.getClickCount() == 2) {
                selected().ifPresent(p -> openDialog(ProfileForm.edit(p)));
            }
        });
        HBox buttons = new HBox(8, add, edit, makeDefault, remove);
        return new VBox(8, heading, note, list, buttons);
    }

    private Node preferencesSection() {
        UiPreferences prefs = vm.preferences();
        ToggleSwitch dark = new ToggleSwitch("Dark theme");
        dark.setId("theme-dark");
        dark.setSelected(prefs.dark());
        dark.selectedProperty().addListener((obs, was, on) -> vm.setDark(on));

        ComboBox<String> compression = new ComboBox<>();
        compression.setId("default-compression");
        compression.getItems().setAll(COMPRESSIONS);
        compression.setValue(COMPRESSIONS.contains(prefs.defaultCompression()) ? prefs.defaultCompression() : "zstd");
        Spinner<Integer> stale = new Spinner<>(1, 24 * 90, prefs.staleAfterHours() == null ? 24 : prefs.staleAfterHours());
        stale.setId("stale-hours");
        stale.setEditable(true);
        stale.setPrefWidth(110);
        Runnable saveDefaults = () -> vm.setDefaults(compression.getValue(), stale.getValue());
        compression.valueProperty().addListener((obs, was, now) -> saveDefaults.run());
        stale.valueProperty().addListener((obs, was, now) -> saveDefaults.run());
        // another window or a reload may change the preferences; keep the switch in step
        vm.preferencesProperty().addListener((obs, was, now) -> {
            if (dark.isSelected() != now.dark()) {
                dark.setSelected(now.dark());
            }
        });

        GridPane grid = new GridPane();
        grid.setHgap(12);
        grid.setVgap(10);
        grid.addRow(0, new Label("Theme"), dark);
        grid.addRow(1, new Label("Compression of new backups"), compression);
        grid.addRow(2, new Label("A backup is stale after (hours)"), stale);
        Label note = new Label("Stored in " + vm.preferencesFile() + "; changes apply immediately.");
        note.getStyleClass().add(Styles.TEXT_MUTED);
        return new VBox(8, heading("Console"), grid, note);
    }

    private void openDialog(ProfileForm form) {
        ProfileDialog dialog = new ProfileDialog(view.getScene().getWindow(), vm, form);
        form.makeDefault().set(form.originalName() != null && form.originalName().equals(vm.defaultProfileProperty().get()));
        dialog.showAndWait().ifPresent(p -> save(p, form.originalName(), form.makeDefault().get()));
    }

    private void save(Profile p, String renamedFrom, boolean makeDefault) {
        vm.save(p, renamedFrom, makeDefault);
    }

    private void confirmRemove(Profile p) {
        Alert confirm = new Alert(Alert.AlertType.CONFIRMATION,
                "Only the entry in " + vm.profilesFile() + " is removed. The cluster, its data directory"
                        + " and its archive stay exactly as they are.", ButtonType.OK, ButtonType.CANCEL);
        confirm.initOwner(view.getScene().getWindow());
        confirm.setTitle("Remove profile");
        confirm.setHeaderText("Remove the profile " + p.name() + "?");
        if (confirm.showAndWait().filter(b -> b == ButtonType.OK).isEmpty()) {
            return;
        }
        vm.remove(p.name());
    }

    private Optional<Profile> selected() {
        return Optional.ofNullable(list.getSelectionModel().getSelectedItem());
    }

    private static Label heading(String text) {
        Label l = new Label(text);
        l.getStyleClass().add(Styles.TITLE_4);
        return l;
    }

    private static Button button(String text, String id, Ikon icon) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        return b;
    }

    private final class ProfileCell extends ListCell<Profile> {
        @Override
        protected void updateItem(Profile p, boolean empty) {
            super.updateItem(p, empty);
            if (empty || p == null) {
                setText(null);
                setGraphic(null);
                return;
            }
            boolean isDefault = p.name().equals(vm.defaultProfileProperty().get());
            boolean active = vm.isActive(p);
            Label name = new Label(p.name() + (isDefault ? "  (default)" : "") + (active ? "  - active" : ""));
            name.getStyleClass().add(Styles.TEXT_BOLD);
            String where = (p.host() == null ? "localhost" : p.host()) + ":" + (p.port() == null ? "5432" : p.port())
                    + (p.user() == null ? "" : " as " + p.user())
                    + "   archive: " + (p.archive() == null ? "(none)" : p.archive())
                    + (p.dataDirectory() == null ? "" : "   data: " + p.dataDirectory());
            Label detail = new Label(where);
            detail.getStyleClass().add(Styles.TEXT_MUTED);
            FontIcon icon = new FontIcon(isDefault ? Material2OutlinedMZ.STAR : Material2OutlinedAL.DNS);
            HBox row = new HBox(10, icon, new VBox(2, name, detail));
            setText(null);
            setGraphic(row);
        }
    }
}

package io.pitrconsole.ui.settings;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.ui.Background;
import io.pitrconsole.ui.ConsoleModel;
import io.pitrconsole.ui.Notice;
import io.pitrconsole.ui.UiPreferences;
import java.nio.file.Path;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ObservableList;

/**
 * The Settings page's state and commands: the cluster profiles (add, edit, make default, remove)
 * and the console's preferences. profiles.json and ui.json are read and written through the
 * console's Background, never on the FX thread; the console's state follows once a write is done.
 * Preferences apply at once and are written after, the newest last.
 */
public final class SettingsViewModel {
    private final ConsoleModel model;
    private final Background background;
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper saved = new ReadOnlyStringWrapper();
    private UiPreferences unsaved;
    private boolean writingPreferences;

    public SettingsViewModel(ConsoleModel model, Background background) {
        this.model = model;
        this.background = background;
    }

    public ObservableList<Profile> profiles() {
        return model.profiles();
    }

    /** The profile the console starts with; null when none. */
    public ReadOnlyStringProperty defaultProfileProperty() {
        return model.defaultProfileProperty();
    }

    /** Whether the profile is the one every page shows now. */
    public boolean isActive(Profile p) {
        return model.session().map(s -> s.name().equals(p.name())).orElse(false);
    }

    /** True while profiles.json is being written. */
    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    /** The name of the profile saved last, set once the console shows it. */
    public ReadOnlyStringProperty savedProperty() {
        return saved.getReadOnlyProperty();
    }

    public Path profilesFile() {
        return model.profileStore().file();
    }

    public Path preferencesFile() {
        return model.preferencesStore().file();
    }

    /** Reads profiles.json again (another program may have changed it); the list and default follow. */
    public void refresh() {
        ProfileStore store = model.profileStore();
        background.submit("Reading the cluster profiles", (p, c) -> store.load(), file -> model.showProfiles(file, null));
    }

    /**
     * Saves a new or edited profile (renamedFrom: the name it had, when it was renamed) and makes it
     * the active one; a failure is a notice and changes nothing else.
     */
    public void save(Profile profile, String renamedFrom, boolean makeDefault) {
        ProfileStore store = model.profileStore();
        busy.set(true);
        background.submit("Saving profile " + profile.name(), (p, c) -> {
            if (renamedFrom != null && !renamedFrom.equals(profile.name())) {
                store.remove(renamedFrom);
            }
            store.put(profile, makeDefault);
            return store.load();
        }, file -> {
            busy.set(false);
            model.showProfiles(file, profile.name());
            saved.set(null);
            saved.set(profile.name());
            model.notify(Notice.success("Profile " + profile.name() + " saved" + (makeDefault ? " as the default" : "")));
        }, e -> busy.set(false));
    }

    /** Makes a profile the one the console starts with (and the active one). */
    public void makeDefault(Profile profile) {
        save(profile, null, true);
    }

    /** Removes the profile's entry from profiles.json; the cluster, its data and its archive stay as they are. */
    public void remove(String name) {
        ProfileStore store = model.profileStore();
        busy.set(true);
        background.submit("Removing profile " + name, (p, c) -> {
            store.remove(name);
            return store.load();
        }, file -> {
            busy.set(false);
            model.showProfilesWithout(file, name);
            model.notify(Notice.info("Profile " + name + " removed (no data was touched)"));
        }, e -> busy.set(false));
    }

    /** Tests the connection a form describes, with the libpq environment filling its empty fields. */
    public void testConnection(ProfileForm form) {
        form.testConnection(background, model.env());
    }

    /** Lists the archive a form names (a directory or a bucket), with the console's environment for the S3 credentials. */
    public void testArchive(ProfileForm form) {
        form.testArchive(background, model.env());
    }

    /** How the profile dialog asks for an encrypted archive's key file. */
    public io.pitrconsole.ui.KeyFileChooser keyFileChooser() {
        return model.keyFileChooserProperty().get();
    }

    public UiPreferences preferences() {
        return model.preferencesProperty().get();
    }

    /** The preferences in effect; another window or a reload may change them. */
    public javafx.beans.property.ReadOnlyObjectProperty<UiPreferences> preferencesProperty() {
        return model.preferencesProperty();
    }

    /** Switches between the light and the dark theme. */
    public void setDark(boolean dark) {
        savePreferences(preferences().withTheme(dark ? UiPreferences.DARK : UiPreferences.LIGHT));
    }

    /** The compression new backups get, and when a backup counts as stale. */
    public void setDefaults(String compression, int staleAfterHours) {
        savePreferences(preferences().withDefaults(compression, staleAfterHours));
    }

    // applied now; written one at a time, so the file ends with the newest even when the user clicks fast
    private void savePreferences(UiPreferences prefs) {
        model.showPreferences(prefs);
        unsaved = prefs;
        if (!writingPreferences) {
            writeNextPreferences();
        }
    }

    private void writeNextPreferences() {
        UiPreferences next = unsaved;
        unsaved = null;
        if (next == null) {
            writingPreferences = false;
            return;
        }
        writingPreferences = true;
        background.submit("Saving the console's preferences", (p, c) -> {
            model.preferencesStore().save(next);
            return next;
        }, written -> writeNextPreferences(), e -> writeNextPreferences());
    }
}

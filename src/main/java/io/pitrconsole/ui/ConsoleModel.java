package io.pitrconsole.ui;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.pg.OsUser;
import io.pitrconsole.practice.PracticeLayout;
import io.pitrconsole.recovery.target.RecoveryTarget;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/**
 * The console's shared state, one per window: profiles and the active cluster session, the
 * connection state, notices, the log pane's lines, running tasks and preferences. Pages receive
 * it and bind to it; it changes only through the named methods below, on the FX thread.
 */
public final class ConsoleModel {
    private static final int MAX_LOG_LINES = 2000;
    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final Map<String, String> env;
    private final ProfileStore profileStore;
    private final UiPreferencesStore preferencesStore;
    private final ObservableList<Profile> profiles = FXCollections.observableArrayList();
    private final ReadOnlyObjectWrapper<ClusterSession> session = new ReadOnlyObjectWrapper<>();
    private final ReadOnlyStringWrapper defaultProfile = new ReadOnlyStringWrapper();
    private final ReadOnlyStringWrapper connectionState = new ReadOnlyStringWrapper("no cluster profile");
    private final ObservableList<Notice> notices = FXCollections.observableArrayList();
    private final ObservableList<String> log = FXCollections.observableArrayList();
    private final ObjectProperty<UiPreferences> preferences = new SimpleObjectProperty<>();
    private final ObjectProperty<Runnable> backupNowAction = new SimpleObjectProperty<>();
    private final ObjectProperty<Navigator> navigator = new SimpleObjectProperty<>();
    private final ObjectProperty<RecoveryTarget> restoreTargetRequest = new SimpleObjectProperty<>();
    private final ObjectProperty<KeyFileChooser> keyFileChooser = new SimpleObjectProperty<>(KeyFileChooser.DESKTOP);
    private final Background background;
    private final PracticeLayout practiceLayout;

    /** How pages ask the shell to show another page (the restore wizard from the timeline, say). */
    @FunctionalInterface
    public interface Navigator {
        void show(String pageTitle);
    }

    public ConsoleModel(Map<String, String> env, ProfileStore profileStore, UiPreferencesStore preferencesStore) {
        this(env, profileStore, preferencesStore, PracticeLayout.standard(env, OsUser.currentIsRoot()));
    }

    /** With the practice cluster somewhere else than where the CLI's 'demo' puts it (tests use a temp directory). */
    public ConsoleModel(Map<String, String> env, ProfileStore profileStore, UiPreferencesStore preferencesStore,
                        PracticeLayout practiceLayout) {
        this(env, profileStore, preferencesStore, practiceLayout, FxBackground::new);
    }

    /** With the background work run by another implementation (tests run it at once, without a window). */
    public ConsoleModel(Map<String, String> env, ProfileStore profileStore, UiPreferencesStore preferencesStore,
                        PracticeLayout practiceLayout, Background.Factory background) {
        this.practiceLayout = practiceLayout;
        this.env = Map.copyOf(env);
        this.profileStore = profileStore;
        this.preferencesStore = preferencesStore;
        this.background = background.create(this::notify, this::log);
        this.preferences.set(preferencesStore.load());
    }

    /** The standard files under the user's config directory (XDG_CONFIG_HOME honoured). */
    public static ConsoleModel standard(Map<String, String> env) {
        ProfileStore store = ProfileStore.standard(env);
        return new ConsoleModel(env, store, new UiPreferencesStore(store.file().resolveSibling("ui.json")));
    }

    public Map<String, String> env() {
        return env;
    }

    /** Where the practice cluster lives (the same place 'demo' uses unless a test says otherwise). */
    public PracticeLayout practiceLayout() {
        return practiceLayout;
    }

    public ProfileStore profileStore() {
        return profileStore;
    }

    /** Where the console's slow work runs; every view model is handed this one. */
    public Background background() {
        return background;
    }

    public ObservableList<Profile> profiles() {
        return profiles;
    }

    /** The name of the profile the console starts with, as profiles.json last read says; null when none. */
    public ReadOnlyStringProperty defaultProfileProperty() {
        return defaultProfile.getReadOnlyProperty();
    }

    public UiPreferencesStore preferencesStore() {
        return preferencesStore;
    }

    public ReadOnlyObjectProperty<ClusterSession> sessionProperty() {
        return session.getReadOnlyProperty();
    }

    public Optional<ClusterSession> session() {
        return Optional.ofNullable(session.get());
    }

    public ReadOnlyStringProperty connectionStateProperty() {
        return connectionState.getReadOnlyProperty();
    }

    public ObservableList<Notice> notices() {
        return notices;
    }

    public ObservableList<String> log() {
        return log;
    }

    public ObjectProperty<UiPreferences> preferencesProperty() {
        return preferences;
    }

    /** What Ctrl+B and "Back up now" run; the backups page installs it. */
    public ObjectProperty<Runnable> backupNowActionProperty() {
        return backupNowAction;
    }

    /**
     * A restore target another page asks the restore wizard to start from ("Restore to here..." on
     * the timeline); the wizard takes it and resets to its first step.
     */
    public ObjectProperty<RecoveryTarget> restoreTargetRequestProperty() {
        return restoreTargetRequest;
    }

    /** Opens the restore wizard with that target filled in. */
    public void requestRestore(RecoveryTarget target) {
        restoreTargetRequest.set(target);
        navigate(Pages.RESTORE);
    }

    /** How pages and Settings ask for an encrypted repository's key file (the desktop's file chooser unless a test says otherwise). */
    public ObjectProperty<KeyFileChooser> keyFileChooserProperty() {
        return keyFileChooser;
    }

    public ObjectProperty<Navigator> navigatorProperty() {
        return navigator;
    }

    /** Shows the page with that title, when the shell is there to do it. */
    public void navigate(String pageTitle) {
        if (navigator.get() != null) {
            navigator.get().show(pageTitle);
        }
    }

    /** Re-reads profiles.json in the background and activates the default profile (or keeps the active one). */
    public Background.Job reloadProfiles() {
        return reloadProfiles(null);
    }

    /**
     * Re-reads profiles.json in the background, off the FX thread, and activates the profile named
     * (when it is there), else keeps the active one, else the default; a file that cannot be read is
     * a notice, and no profile.
     */
    public Background.Job reloadProfiles(String activate) {
        return background.submit("Reading profiles", (p, c) -> profileStore.load(), file -> showProfiles(file, activate),
                e -> showProfiles(new ProfileStore.ProfilesFile(null, List.of()), null));
    }

    /**
     * Shows profiles already read from profiles.json (off the FX thread, say) and activates the one
     * named, else keeps the active one, else the default (or the only) one.
     */
    public void showProfiles(ProfileStore.ProfilesFile file, String activate) {
        List<Profile> all = file.profiles();
        defaultProfile.set(file.defaultProfile());
        if (!profiles.equals(all)) {
            // an unchanged list keeps the selection of the lists that show it
            profiles.setAll(all);
        }
        if (activate != null) {
            all.stream().filter(p -> p.name().equals(activate)).findFirst().ifPresent(this::activate);
            return;
        }
        String active = session.get() == null ? null : session.get().name();
        Optional<Profile> chosen = all.stream().filter(p -> p.name().equals(active)).findFirst();
        if (chosen.isEmpty()) {
            chosen = defaultOf(file).or(() -> all.stream().findFirst());
        }
        Profile next = chosen.orElse(null);
        if (next != null && session.get() != null && session.get().profile().equals(next)) {
            return; // unchanged: pages keep what they loaded
        }
        activate(next);
    }

    // as ProfileStore.find(null): the named default, else the only profile
    private static Optional<Profile> defaultOf(ProfileStore.ProfilesFile file) {
        String def = file.defaultProfile();
        return def != null ? file.profiles().stream().filter(p -> def.equals(p.name())).findFirst()
                : file.profiles().size() == 1 ? Optional.of(file.profiles().get(0)) : Optional.empty();
    }

    /** Shows profiles.json as read after a profile was removed: the removed one is no longer active. */
    public void showProfilesWithout(ProfileStore.ProfilesFile file, String removed) {
        if (session.get() != null && session.get().name().equals(removed)) {
            replaceSession(null);
        }
        showProfiles(file, null);
    }

    /** Makes that profile the one every page shows; null for none. */
    public void activate(Profile profile) {
        if (profile == null) {
            replaceSession(null);
            connectionState.set("no cluster profile");
            return;
        }
        replaceSession(new ClusterSession(profile, env));
        log("profile " + profile.name() + " active");
        checkConnection();
    }

    // the pages follow the new session first; then the old one's repository (a bucket's S3 client) is released
    private void replaceSession(ClusterSession next) {
        ClusterSession old = session.get();
        session.set(next);
        if (old != null && old != next) {
            old.close();
        }
    }

    /** Saves a new or edited profile and makes it active (on the calling thread; Settings does it in the background). */
    public void saveProfile(Profile profile, boolean makeDefault) {
        profileStore.put(profile, makeDefault);
        showProfiles(profileStore.load(), profile.name());
    }

    /** Connects to the active cluster in the background and shows the outcome in the status bar. */
    public void checkConnection() {
        ClusterSession s = session.get();
        if (s == null) {
            return;
        }
        connectionState.set("connecting to " + s.connection().host() + ":" + s.connection().port() + "...");
        background.submit("Connecting to " + s.name(), (p, c) -> s.services().checkConnection(), reached -> {
            if (session.get() == s) {
                connectionState.set("connected: PostgreSQL " + reached.server().version() + ", timeline " + reached.server().timeline());
            }
        }, e -> {
            if (session.get() == s) {
                connectionState.set("not connected");
            }
        });
    }

    /** Applies and writes the preferences (on the calling thread; Settings writes them in the background). */
    public void savePreferences(UiPreferences prefs) {
        preferences.set(prefs);
        preferencesStore.save(prefs);
    }

    /** Applies preferences at once, without writing them: the caller writes them off the FX thread. */
    public void showPreferences(UiPreferences prefs) {
        preferences.set(prefs);
    }

    /** Shows a notice and keeps it in the log. */
    public void notify(Notice notice) {
        notices.add(notice);
        if (notices.size() > 20) {
            notices.remove(0);
        }
        log(notice.message() + (notice.hint().isBlank() ? "" : " (hint: " + notice.hint() + ")"));
    }

    public void log(String line) {
        log.add(LocalTime.now().format(CLOCK) + "  " + line);
        if (log.size() > MAX_LOG_LINES) {
            log.remove(0, log.size() - MAX_LOG_LINES);
        }
    }

    /** Stops the background work and releases the active profile's repository. */
    public void close() {
        background.close();
        session().ifPresent(ClusterSession::close);
    }
}

package io.pitrconsole.ui;

import io.pitrconsole.config.Profile;
import io.pitrconsole.config.ProfileStore;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.session.ClusterServices;
import io.pitrconsole.session.EncryptionState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

/**
 * The repository's encryption as a page shows it: one line of state ("Encrypted with age, key
 * fingerprint ..." or "Not encrypted"), or, when the profile's repository is encrypted and the
 * profile names no key file (or another key's), what is wrong and a way to choose the key file.
 * The Backups and WAL Archiving pages each hold one; everything that reads a file runs through
 * the Background. After a key change the repository also needs the older keys that still read the
 * files written before it: the profile keeps their paths too, and the same panel adds the one it names.
 */
public final class RepositoryEncryptionModel {
    private final ConsoleModel model;
    private final Background background;
    private final ReadOnlyStringWrapper state = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper encrypted = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper keyNeeded = new ReadOnlyBooleanWrapper();
    private final ReadOnlyStringWrapper problem = new ReadOnlyStringWrapper("");
    private final ReadOnlyStringWrapper hint = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper checkingKey = new ReadOnlyBooleanWrapper();
    private final ReadOnlyBooleanWrapper olderKeyNeeded = new ReadOnlyBooleanWrapper();

    public RepositoryEncryptionModel(ConsoleModel model, Background background) {
        this.model = model;
        this.background = background;
    }

    /** One line on how the repository is encrypted; empty until read, and for a stanza pgBackRest does not encrypt. */
    public ReadOnlyStringProperty stateProperty() {
        return state.getReadOnlyProperty();
    }

    /** True when the repository's files are encrypted (by age or by pgBackRest), as far as read. */
    public ReadOnlyBooleanProperty encryptedProperty() {
        return encrypted.getReadOnlyProperty();
    }

    /** True when the repository is encrypted and the profile gives no key for it, or another key. */
    public ReadOnlyBooleanProperty keyNeededProperty() {
        return keyNeeded.getReadOnlyProperty();
    }

    /** Why the repository cannot be read without a key (names the fingerprint it needs). */
    public ReadOnlyStringProperty problemProperty() {
        return problem.getReadOnlyProperty();
    }

    /** What to do about it, in the console's words. */
    public ReadOnlyStringProperty hintProperty() {
        return hint.getReadOnlyProperty();
    }

    /** True when the profile gives the current key and the repository also needs an older key it does not give. */
    public ReadOnlyBooleanProperty olderKeyNeededProperty() {
        return olderKeyNeeded.getReadOnlyProperty();
    }

    /** True while a chosen key file is tried against the repository and saved. */
    public ReadOnlyBooleanProperty checkingKeyProperty() {
        return checkingKey.getReadOnlyProperty();
    }

    /**
     * Reads how the session's repository is encrypted; then runs {@code readable} when the page may
     * read the repository, or {@code locked} when it needs a key the profile does not give. Any other
     * reason the repository cannot be opened is left to the page's own reads, which report it.
     */
    public Background.Job load(ClusterSession s, Runnable readable, Runnable locked) {
        return background.submit("Reading the encryption of " + s.name() + "'s archive", (p, c) -> stateOf(s), read -> {
            if (model.session().orElse(null) != s) {
                return;
            }
            show(read);
            if (keyNeeded.get()) {
                locked.run();
            } else {
                readable.run();
            }
        }, e -> {
            if (model.session().orElse(null) == s) {
                readable.run();
            }
        });
    }

    private static Optional<EncryptionState> stateOf(ClusterSession s) {
        try {
            return Optional.of(s.services().encryption());
        } catch (PitrException e) {
            // the page's own reads say why the repository cannot be opened, once
            return Optional.empty();
        }
    }

    private void show(Optional<EncryptionState> read) {
        clear();
        read.ifPresent(st -> {
            encrypted.set(st.encrypted());
            st.keyNeeded().ifPresentOrElse(failure -> {
                keyNeeded.set(true);
                olderKeyNeeded.set(failure.older());
                problem.set(failure.getMessage());
                hint.set(failure.consoleHint());
            }, () -> state.set(st.describe()));
        });
    }

    /** Forgets what was shown (another profile, no archive). */
    public void clear() {
        state.set("");
        encrypted.set(false);
        keyNeeded.set(false);
        olderKeyNeeded.set(false);
        problem.set("");
        hint.set("");
    }

    /**
     * Tries the key file against the active profile's repository and, when it opens it (or gets as
     * far as asking for another older key), saves its path in the profile (only the path: the key
     * stays in its file): as the current key when the repository asked for its current key (the
     * profile's previous key then stays as an older key if the repository still has files encrypted
     * to it), else as one more older key. The console then shows the profile as saved, and the page
     * on show reloads with it. A key that does not help changes nothing; a notice says why (the
     * fingerprint expected and the one given).
     */
    public void useKeyFile(Path file) {
        ClusterSession s = model.session().orElse(null);
        if (s == null) {
            return;
        }
        ProfileStore store = model.profileStore();
        Map<String, String> env = model.env();
        String name = s.name();
        String path = file.toAbsolutePath().normalize().toString();
        boolean asOlder = olderKeyNeeded.get();
        String neededBefore = asOlder ? problem.get() : "";
        checkingKey.set(true);
        background.submit("Trying the key file " + path, (p, c) -> {
            // profiles.json as it is now, in case it changed since the session began
            Profile now = store.find(name).orElse(s.profile());
            Profile changed = asOlder ? withOlder(now, List.of(path)) : withCurrent(now, path);
            boolean opens = true;
            try (ClusterServices trial = ClusterServices.forConsole(changed, env)) {
                EncryptionState tried = trial.encryption();
                if (tried.keyNeeded().isPresent()) {
                    var failure = tried.keyNeeded().get();
                    // the current key opens it and another older key is asked for: keep what was given, then ask for that one
                    if (!failure.older() || failure.getMessage().equals(neededBefore)) {
                        throw failure;
                    }
                    opens = false;
                } else {
                    changed = withoutUnneeded(changed, trial.unneededKeyFiles());
                }
            }
            store.put(changed, false);
            return new Saved(store.load(), opens);
        }, saved -> {
            checkingKey.set(false);
            String as = asOlder ? " as an older key" : "";
            model.notify(saved.opens() ? Notice.success("The key file " + path + " opens the archive; saved in the profile " + name + as)
                    : Notice.info("The key file " + path + " is saved in the profile " + name + as + "; the archive needs another older key"));
            model.showProfiles(saved.file(), name);
        }, e -> checkingKey.set(false));
    }

    private record Saved(ProfileStore.ProfilesFile file, boolean opens) {
    }

    // the profile's previous key becomes an older one: after `key add`, it still reads the files written before
    private static Profile withCurrent(Profile p, String path) {
        Profile changed = p.withEncryptionKeyFile(path);
        String previous = p.encryptionKeyFile();
        return previous == null || previous.isBlank() || previous.equals(path) ? changed : withOlder(changed, List.of(previous));
    }

    private static Profile withOlder(Profile p, List<String> paths) {
        List<String> older = new ArrayList<>(p.encryptionOldKeyFiles());
        paths.stream().filter(k -> !older.contains(k) && !k.equals(p.encryptionKeyFile())).forEach(older::add);
        return p.withEncryptionOldKeyFiles(older);
    }

    // a key the repository records no file of (another archive's key that was in the profile) is not kept as an older key
    private static Profile withoutUnneeded(Profile p, List<Path> unneeded) {
        List<Path> drop = unneeded.stream().map(u -> u.toAbsolutePath().normalize()).toList();
        return p.withEncryptionOldKeyFiles(p.encryptionOldKeyFiles().stream()
                .filter(k -> !drop.contains(Path.of(k).toAbsolutePath().normalize())).toList());
    }
}

package io.pitrconsole.session;

import io.pitrconsole.config.Profile;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The key files a user gave for an encrypted repository: the current key, and older keys that still
 * read files written before a key change. Paths only: the keys stay in their files.
 */
public record KeyFiles(Optional<Path> current, List<Path> older) {
    /** The environment variable that names a key file when neither a flag nor the profile does. */
    public static final String ENV = "PITR_ENCRYPTION_KEY_FILE";
    /** No key: the repository must not be encrypted. */
    public static final KeyFiles NONE = new KeyFiles(Optional.empty(), List.of());

    public KeyFiles {
        older = List.copyOf(older);
        if (current.isEmpty() && !older.isEmpty()) {
            throw new IllegalArgumentException("older keys without a current one");
        }
    }

    /** The first of: the flag's file, the profile's, PITR_ENCRYPTION_KEY_FILE; with the older keys given. */
    public static KeyFiles resolve(String flag, String profile, Map<String, String> env, List<Path> older) {
        Optional<Path> current = Optional.ofNullable(flag).or(() -> Optional.ofNullable(profile)).or(() -> Optional.ofNullable(env.get(ENV)))
                .map(String::strip).filter(s -> !s.isEmpty()).map(Path::of);
        return new KeyFiles(current, current.isEmpty() ? List.of() : older);
    }

    /**
     * A profile's key files, with flags over them: the current key as {@link #resolve}; the older
     * keys of the flags when any are given, else the profile's; then {@code extra} (a key change's new key).
     */
    public static KeyFiles resolve(String flag, Optional<Profile> profile, Map<String, String> env, List<Path> flagOlder, List<Path> extra) {
        List<Path> older = new ArrayList<>(!flagOlder.isEmpty() ? flagOlder
                : profile.map(p -> paths(p.encryptionOldKeyFiles())).orElse(List.of()));
        older.addAll(extra);
        return resolve(flag, profile.map(Profile::encryptionKeyFile).orElse(null), env, older);
    }

    /** The key files of a profile alone (the console's), PITR_ENCRYPTION_KEY_FILE when it names no current key. */
    public static KeyFiles of(Profile profile, Map<String, String> env) {
        return resolve(null, Optional.of(profile), env, List.of(), List.of());
    }

    /** Key file paths as a profile or a form lists them: each stripped, blank ones left out. */
    public static List<Path> paths(List<String> listed) {
        return listed.stream().map(String::strip).filter(s -> !s.isEmpty()).map(Path::of).toList();
    }
}

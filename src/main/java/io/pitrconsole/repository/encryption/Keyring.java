package io.pitrconsole.repository.encryption;

import io.pitrconsole.core.Hint;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The keys a reader holds: the key new files are encrypted to first, then any older keys that
 * still read files written before a key change.
 */
public record Keyring(List<EncryptionKey> keys) {
    public Keyring {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a keyring holds at least one key");
        }
        keys = List.copyOf(keys);
    }

    /** A keyring of one key. */
    public static Keyring of(EncryptionKey key) {
        return new Keyring(List.of(key));
    }

    /** The key new files are encrypted to. */
    public EncryptionKey current() {
        return keys.get(0);
    }

    /** The key of that fingerprint, if held. */
    public Optional<EncryptionKey> find(KeyFingerprint fingerprint) {
        return keys.stream().filter(k -> k.fingerprint().equals(fingerprint)).findFirst();
    }

    /** The identity files age reads to decrypt, current first. */
    public List<Path> files() {
        return keys.stream().map(EncryptionKey::file).toList();
    }

    /** The fingerprints held, as a user reads them. */
    public String describe() {
        return keys.size() == 1 ? "fingerprint " + current().fingerprint()
                : "fingerprints " + String.join(", ", keys.stream().map(k -> k.fingerprint().value()).toList());
    }

    /** A failure saying that {@code what} needs the key of {@code needed}, which these keys are not. */
    public EncryptionKeyNeeded wrongKey(String what, KeyFingerprint needed) {
        return new EncryptionKeyNeeded(what + " is encrypted with the key of fingerprint " + needed + "; the key file given ("
                + String.join(", ", files().stream().map(Path::toString).toList()) + ") has " + describe(),
                Hint.of("give the key file whose fingerprint is " + needed
                                + " (--encryption-key-file FILE, the profile's key file, or PITR_ENCRYPTION_KEY_FILE); `pitr-console key show FILE` prints a key file's fingerprint",
                        "choose the key file whose fingerprint is " + needed + " for this profile in Settings"), needed);
    }
}

package io.pitrconsole.session;

import io.pitrconsole.repository.encryption.EncryptionKeyNeeded;
import java.nio.file.Path;
import java.util.Optional;

/**
 * How a profile's repository is encrypted, as this profile opens it: not at all, with age under a
 * key it holds, by pgBackRest itself, or with age under a key it lacks (then the failure that says
 * which key it needs, to show instead of the repository).
 *
 * @param kind        which of these
 * @param fingerprint the fingerprint of the repository's current key (age), else empty
 * @param keyFile     the key file in use (age, key held), else empty
 * @param cipher      pgBackRest's cipher for its stanza ("none" when it does not encrypt), else empty
 * @param recorded    false for an empty repository that a key will encrypt from its first file
 * @param keyNeeded   the failure to open it, for {@link Kind#KEY_NEEDED}
 */
public record EncryptionState(Kind kind, Optional<String> fingerprint, Optional<Path> keyFile, Optional<String> cipher,
                              boolean recorded, Optional<EncryptionKeyNeeded> keyNeeded) {
    /** What kind of encryption, if any, the repository has for this profile. */
    public enum Kind { PLAIN, AGE, PGBACKREST, KEY_NEEDED }

    /** A repository that is not encrypted. */
    public static final EncryptionState PLAIN = new EncryptionState(Kind.PLAIN, Optional.empty(), Optional.empty(), Optional.empty(),
            true, Optional.empty());

    /** A repository encrypted with age under the key of {@code fingerprint}, read with {@code keyFile}. */
    public static EncryptionState age(String fingerprint, Path keyFile, boolean recorded) {
        return new EncryptionState(Kind.AGE, Optional.of(fingerprint), Optional.of(keyFile), Optional.empty(), recorded, Optional.empty());
    }

    /** A pgBackRest stanza, encrypted by pgBackRest with that cipher or not ("none"). */
    public static EncryptionState pgBackRest(String cipher) {
        return new EncryptionState(Kind.PGBACKREST, Optional.empty(), Optional.empty(), Optional.of(cipher), true, Optional.empty());
    }

    /** A repository encrypted with a key this profile does not give. */
    public static EncryptionState keyNeeded(EncryptionKeyNeeded failure) {
        return new EncryptionState(Kind.KEY_NEEDED, Optional.of(failure.needed().value()), Optional.empty(), Optional.empty(), true,
                Optional.of(failure));
    }

    /** Whether the repository's files are encrypted, by age or by pgBackRest. */
    public boolean encrypted() {
        return kind == Kind.AGE || kind == Kind.KEY_NEEDED || (kind == Kind.PGBACKREST && !"none".equals(cipher.orElse("none")));
    }

    /** One line for the user; empty for a pgBackRest stanza that pgBackRest does not encrypt. */
    public String describe() {
        return switch (kind) {
            case PLAIN -> "Not encrypted";
            case AGE -> recorded ? "Encrypted with age, key fingerprint " + fingerprint.orElseThrow()
                    : "Encrypted with age from its first file, key fingerprint " + fingerprint.orElseThrow();
            case PGBACKREST -> encrypted() ? "Encrypted by pgBackRest (" + cipher.orElseThrow() + ")" : "";
            case KEY_NEEDED -> "Encrypted with age, key fingerprint " + fingerprint.orElseThrow() + "; no key for it was given";
        };
    }
}

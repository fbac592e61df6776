package io.pitrconsole.repository.encryption;

import io.pitrconsole.core.PitrException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A repository's key: an age identity file (X25519, as `age-keygen` writes it), named by its path.
 * The console never holds the secret itself: age reads the file when it decrypts, and encrypting
 * needs only the recipient, the key's public half. The fingerprint names the key in messages and
 * in the repository's metadata.
 */
public record EncryptionKey(Path file, String recipient, KeyFingerprint fingerprint) {
    static final String HINT = "make a key with `pitr-console key create FILE` (or `age-keygen -o FILE`),"
            + " keep a copy of it somewhere safe, and give its path";

    /** Reads the identity file's recipient with age-keygen; a PitrException with a hint when it is not one. */
    public static EncryptionKey load(AgeProgram age, Path file) {
        Path f = file.toAbsolutePath().normalize();
        if (!Files.exists(f)) {
            throw new PitrException("the encryption key file " + f + " does not exist", "give the path of the repository's key file; " + HINT);
        }
        if (!Files.isRegularFile(f)) {
            throw new PitrException("the encryption key file " + f + " is not a regular file", HINT);
        }
        if (!Files.isReadable(f)) {
            throw new PitrException("cannot read the encryption key file " + f + ": permission denied",
                    "run as a user that may read it (the key file should be readable by the console's user and the server's OS user only)");
        }
        String recipient = age.recipientOf(f);
        return new EncryptionKey(f, recipient, KeyFingerprint.ofRecipient(recipient));
    }

    @Override
    public String toString() {
        return "key " + fingerprint + " (" + file + ")";
    }
}

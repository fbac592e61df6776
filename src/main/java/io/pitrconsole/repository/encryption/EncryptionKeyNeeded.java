package io.pitrconsole.repository.encryption;

import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;

/**
 * An encrypted repository was opened without its key, or with another key: what the user fixes by
 * giving the key file of the fingerprint it names. A type of its own so that the console can ask
 * for the key file instead of only reporting the failure.
 */
public final class EncryptionKeyNeeded extends PitrException {
    private final transient KeyFingerprint needed;

    public EncryptionKeyNeeded(String message, Hint hint, KeyFingerprint needed) {
        super(message, hint);
        this.needed = needed;
    }

    /** The fingerprint of the key the repository's files are encrypted to now. */
    public KeyFingerprint needed() {
        return needed;
    }
}

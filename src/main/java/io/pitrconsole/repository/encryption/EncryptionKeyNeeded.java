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
    private final boolean older;

    /** The repository's current key is needed. */
    public EncryptionKeyNeeded(String message, Hint hint, KeyFingerprint needed) {
        this(message, hint, needed, false);
    }

    /** The key of {@code needed} is needed; {@code older}: it is an older key, the current one was given. */
    public EncryptionKeyNeeded(String message, Hint hint, KeyFingerprint needed, boolean older) {
        super(message, hint);
        this.needed = needed;
        this.older = older;
    }

    /** The fingerprint of the key needed: the repository's current key, or an older one (see {@link #older()}). */
    public KeyFingerprint needed() {
        return needed;
    }

    /** True when the current key was given and an older key, which still reads files written before a key change, was not. */
    public boolean older() {
        return older;
    }
}

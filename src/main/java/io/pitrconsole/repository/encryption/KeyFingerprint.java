package io.pitrconsole.repository.encryption;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What names a key without giving it away: the first 8 bytes of the SHA-256 of the key's age
 * recipient (its public half), shown as four groups of hex digits. Stored in the repository's
 * metadata, so a reader can say which key it needs.
 */
public record KeyFingerprint(String value) {
    public KeyFingerprint {
        if (value == null || !value.matches("[0-9a-f]{4}(-[0-9a-f]{4}){3}")) {
            throw new IllegalArgumentException("not a key fingerprint: " + value);
        }
    }

    /** The fingerprint of the key whose age recipient (age1...) this is. */
    public static KeyFingerprint ofRecipient(String recipient) {
        try {
            return ofBytes(MessageDigest.getInstance("SHA-256").digest(recipient.getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }

    static KeyFingerprint ofBytes(byte[] eight) {
        String hex = HexFormat.of().formatHex(eight, 0, 8);
        return new KeyFingerprint(hex.substring(0, 4) + "-" + hex.substring(4, 8) + "-" + hex.substring(8, 12) + "-" + hex.substring(12, 16));
    }

    @Override
    public String toString() {
        return value;
    }
}

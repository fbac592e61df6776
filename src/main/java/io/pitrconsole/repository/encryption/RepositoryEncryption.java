package io.pitrconsole.repository.encryption;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pitrconsole.core.Json;
import io.pitrconsole.core.PitrException;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The repository's own record that it is encrypted (encryption.json): the format, and the keys its
 * files are encrypted to, newest first, each as its fingerprint and its age recipient (the public
 * half, which archiving needs). Never a key.
 */
public record RepositoryEncryption(@JsonProperty("format") String format, @JsonProperty("keys") List<KeyEntry> keys) {
    /** The one format this version writes and reads. */
    public static final String AGE = "age-encryption.org/v1";

    public RepositoryEncryption {
        keys = List.copyOf(keys);
    }

    /** One key the repository's files were encrypted to, from {@code since}. */
    public record KeyEntry(@JsonProperty("fingerprint") String fingerprint, @JsonProperty("recipient") String recipient,
                           @JsonProperty("since") Instant since) {
        /** The fingerprint as a value. */
        public KeyFingerprint keyFingerprint() {
            return new KeyFingerprint(fingerprint);
        }
    }

    /** The record of a repository encrypted to one key from now. */
    public static RepositoryEncryption first(EncryptionKey key, Instant now) {
        return new RepositoryEncryption(AGE, List.of(new KeyEntry(key.fingerprint().value(), key.recipient(), now)));
    }

    /** The key new files are encrypted to. */
    public KeyEntry current() {
        return keys.get(0);
    }

    /** This record with {@code key} as the new current key; the older keys stay listed for the files still encrypted to them. */
    public RepositoryEncryption withCurrent(EncryptionKey key, Instant now) {
        List<KeyEntry> next = new ArrayList<>();
        next.add(new KeyEntry(key.fingerprint().value(), key.recipient(), now));
        keys.stream().filter(k -> !k.fingerprint().equals(key.fingerprint().value())).forEach(next::add);
        return new RepositoryEncryption(format, next);
    }

    /** This record listing only the current key: every file was re-encrypted to it. */
    public RepositoryEncryption onlyCurrent() {
        return new RepositoryEncryption(format, List.of(current()));
    }

    private static final ObjectMapper MAPPER = Json.mapper();

    /** The document's bytes. */
    public byte[] toJson() {
        try {
            return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses the document; a PitrException naming {@code where} when it is not one this version reads. */
    public static Optional<RepositoryEncryption> parse(Optional<byte[]> stored, String where) {
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        RepositoryEncryption e;
        try {
            e = MAPPER.readValue(stored.get(), RepositoryEncryption.class);
        } catch (IOException | IllegalArgumentException ex) {
            throw new PitrException(where + " cannot be read: " + ex.getMessage(),
                    "it records how the repository is encrypted; restore it from a copy (its fingerprints and recipients are not secret)");
        }
        if (!AGE.equals(e.format()) || e.keys() == null || e.keys().isEmpty()) {
            throw new PitrException(where + " names a format this version does not read (" + e.format() + ")",
                    "use the version of PITR Console that wrote this repository, or a newer one");
        }
        return Optional.of(e);
    }
}

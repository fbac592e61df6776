package io.pitrconsole.repository;

import java.nio.file.Path;
import java.util.List;

/**
 * What the server's scripts need for an encrypted repository: the age program, the recipients each
 * archived file is encrypted to (public keys: archiving needs no secret), and the key files the
 * restore_command decrypts with, read there by the server's OS user. No key is ever copied.
 */
public record ServerEncryption(Path age, List<String> recipients, List<Path> keyFiles) {
    /** The hint for a kind the console does not encrypt. */
    public static final String UNSUPPORTED = "leave out --encryption-key-file for this repository; a pgBackRest stanza is encrypted"
            + " by pgBackRest itself (repo1-cipher-type), whose passphrase the console passes on";

    public ServerEncryption {
        recipients = List.copyOf(recipients);
        keyFiles = List.copyOf(keyFiles);
    }
}

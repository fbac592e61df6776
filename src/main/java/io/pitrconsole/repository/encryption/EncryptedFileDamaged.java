package io.pitrconsole.repository.encryption;

import java.io.IOException;

/**
 * An encrypted file that fails its authentication: a changed, cut or swapped byte anywhere in it,
 * or a file that is not encrypted at all where everything is. An IOException, so every reader that
 * already reports a file it cannot read names this one too.
 */
public final class EncryptedFileDamaged extends IOException {
    private static final long serialVersionUID = 1L;

    EncryptedFileDamaged(String what, String detail) {
        super(what + " was tampered with or damaged: " + detail
                + "; it cannot be trusted (restore it from a good copy, or leave it out)");
    }
}

package io.pitrconsole.wal;

import java.io.IOException;

/**
 * The decompressor rejected the file's bytes, or the archive could not hand a streamed file out whole
 * (an encrypted file failing its authentication): damage in the file, not a failing disk.
 */
final class CorruptCompressionException extends IOException {
    private static final long serialVersionUID = 1L;

    CorruptCompressionException(Throwable cause) {
        super(cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage(), cause);
    }
}

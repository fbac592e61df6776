package io.pitrconsole.wal;

import io.pitrconsole.core.PitrException;
import java.nio.file.Path;

/**
 * A segment written by a PostgreSQL major this reader does not know: its pages are well formed
 * but their magic is another release's. Not damage: the whole archive is unreadable to this
 * version, so indexing stops with this instead of calling every segment damaged.
 */
public final class UnsupportedWalException extends PitrException {
    private static final long serialVersionUID = 1L;

    UnsupportedWalException(String release, int magic, Path file) {
        super(String.format("%s WAL is not supported by this version (page magic 0x%04X in %s; PostgreSQL %s are)",
                        release, magic, file.getFileName(), WalFormat.supportedRange()),
                "use a PITR Console release that reads " + release + " WAL, or keep this archive for the cluster it came from");
    }
}

package io.pitrconsole.wal;

import io.pitrconsole.core.WalSegmentName;
import java.nio.file.Path;

/**
 * A segment file found in wal_archive/, with the size and modification time that key its cache
 * entry. The time is only a change detector, never a recovery time.
 */
record ArchivedSegmentFile(WalSegmentName name, Path file, long size, long modifiedMillis, boolean partial) {
    String fileName() {
        return file.getFileName().toString();
    }

    /** Identifies this exact version of the file: a different value means it must be read again. */
    String key() {
        return fileName() + ":" + size + ":" + modifiedMillis;
    }
}

package io.pitrconsole.wal;

import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.WalStore;
import java.nio.file.Path;

/**
 * A segment file found in the WAL archive, with the size, modification time and store version that
 * key its cache entry. The time is only a change detector, never a recovery time.
 */
record ArchivedSegmentFile(WalSegmentName name, WalStore store, WalFile walFile, boolean partial) {
    String fileName() {
        return walFile.name();
    }

    long size() {
        return walFile.size();
    }

    /** What the reader opens: mapped when the archive keeps it on this machine, streamed otherwise. */
    SegmentSource source() {
        return SegmentSource.of(store, walFile.name(), walFile.size());
    }

    /** The local file, or the bare name for an archive elsewhere (what SegmentInfo.file() holds). */
    Path file() {
        return store.localFile(walFile.name()).orElse(Path.of(walFile.name()));
    }

    /** Identifies this exact version of the file: a different value means it must be read again. */
    String key() {
        String key = fileName() + ":" + walFile.size() + ":" + walFile.modified().toEpochMilli();
        // a store's version tag joins the key only where there is one, so a directory's cache entries stay valid
        return walFile.version().isEmpty() ? key : key + ":" + walFile.version();
    }
}

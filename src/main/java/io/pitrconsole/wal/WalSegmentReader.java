package io.pitrconsole.wal;

import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.WalSegmentName;
import java.nio.file.Path;
import java.util.Optional;

/** PLACEHOLDER until the native reader is merged: reading a segment is not possible yet. */
public final class WalSegmentReader {
    private WalSegmentReader() {
    }

    public static SegmentInfo read(WalSegmentName name, Path file, Optional<Path> nextSegmentFile) {
        throw new PitrException("the WAL segment reader is not available in this build", "");
    }
}

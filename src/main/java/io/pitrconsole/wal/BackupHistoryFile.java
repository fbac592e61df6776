package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import java.time.Instant;
import java.util.Optional;

/** A {@code <segment>.<offset>.backup} file: where and when a base backup started and stopped. */
public record BackupHistoryFile(String fileName, Optional<Lsn> startLsn, Optional<Lsn> stopLsn,
                                Optional<Instant> startTime, Optional<Instant> stopTime, Optional<String> label) {
}

package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import java.time.Instant;

/** A checkpoint record: where redo starts for it, its timeline, and when it was taken (seconds). */
public record CheckpointRecord(Lsn lsn, boolean shutdown, Lsn redo, int timeline, int previousTimeline, Instant time) {
}

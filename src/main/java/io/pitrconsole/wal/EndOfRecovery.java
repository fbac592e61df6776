package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import java.time.Instant;

/** The record a promoted server writes when it leaves recovery onto a new timeline. */
public record EndOfRecovery(Lsn lsn, Instant time, int timeline, int previousTimeline) {
}

package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import java.time.Instant;

/** A named restore point (pg_create_restore_point), usable as recovery_target_name. */
public record RestorePoint(String name, Instant time, Lsn lsn, int timeline) {
}

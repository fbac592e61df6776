package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;
import java.time.Instant;

/**
 * A commit or abort record. For prepared transactions {@code xid} is the prepared transaction's
 * id (the record itself carries none).
 */
public record XactEnd(XactKind kind, long xid, Instant time, Lsn lsn) {
}

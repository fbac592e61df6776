package io.pitrconsole.wal;

import io.pitrconsole.core.Lsn;

/** Bytes that are not valid WAL, found at a location; it ends up in {@link SegmentInfo#damage()}. */
class WalDamage extends Exception {
    private static final long serialVersionUID = 1L;
    private final long lsn;

    WalDamage(String reason, long lsn) {
        // expected on bad input, so no stack trace
        super(reason, null, false, false);
        this.lsn = lsn;
    }

    long lsn() {
        return lsn;
    }

    String describe() {
        return getMessage() + " (reading stopped at " + new Lsn(lsn) + ")";
    }
}

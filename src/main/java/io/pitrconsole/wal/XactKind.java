package io.pitrconsole.wal;

/** The transaction-end records recovery_target_time is checked against. */
public enum XactKind {
    COMMIT, ABORT, COMMIT_PREPARED, ABORT_PREPARED;

    /** True for the two kinds that make changes visible. */
    public boolean commits() {
        return this == COMMIT || this == COMMIT_PREPARED;
    }
}

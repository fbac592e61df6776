package io.pitrconsole.practice;

import java.time.Instant;

/** What the practice cluster's state file records: enough to start, connect to and describe it. */
public record PracticeState(int port, String user, String database, String osUser, String pgBin, Instant created,
                            Instant historyFrom, Instant historyTo, int backups, int restorePoints) {
}

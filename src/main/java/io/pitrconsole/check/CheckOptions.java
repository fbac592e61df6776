package io.pitrconsole.check;

import io.pitrconsole.recovery.target.RecoveryTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * What 'check' asks of each part: whether to reach the server at all, whether to force a WAL
 * segment switch and how long to wait for it, and the restore target (by default the latest) whose
 * prerequisites to check, from which backup, into which data directory.
 */
public record CheckOptions(boolean server, boolean forceSwitch, Duration switchWait, RecoveryTarget target, Optional<String> backupId,
                           Optional<Path> dataDir) {
    /** Everything, against the server, to the latest archived WAL, waiting 60 s for the forced segment. */
    public static CheckOptions all() {
        return new CheckOptions(true, true, Duration.ofSeconds(60), RecoveryTarget.latest(), Optional.empty(), Optional.empty());
    }
}

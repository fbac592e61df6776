package io.pitrconsole.recovery;

import io.pitrconsole.pg.ConnectionSettings;
import io.pitrconsole.recovery.run.RecoverySettings;
import io.pitrconsole.recovery.target.RecoveryTarget;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the user asked for.
 *
 * @param destination   the data directory (in place) or the sandbox directory (rehearsal; empty: a new temp directory)
 * @param port          rehearsal port (empty: a free one)
 * @param tablespaceMap old tablespace location (or OID) to new location
 * @param verifySchema  schema whose tables get a row count after the restore
 * @param verifyDatabase database the checks connect to
 * @param connection    how to reach the server after an in-place restore (its user also names the role for rehearsal checks)
 */
public record RestoreRequest(RecoveryTarget target, Optional<String> backupId, RestoreMode mode, Optional<Path> destination,
                             Optional<Integer> port, boolean keep, RecoverySettings.Action action,
                             Map<String, Path> tablespaceMap, String verifySchema, String verifyDatabase,
                             Optional<ConnectionSettings> connection, Duration recoveryTimeout) {

    public RestoreRequest {
        tablespaceMap = Map.copyOf(tablespaceMap);
    }

    /** A rehearsal into a new temp directory on a free port, promoted, torn down after the report. */
    public static RestoreRequest rehearsal(RecoveryTarget target) {
        return new RestoreRequest(target, Optional.empty(), RestoreMode.REHEARSAL, Optional.empty(), Optional.empty(), false,
                RecoverySettings.Action.PROMOTE, Map.of(), "public", "postgres", Optional.empty(), Duration.ofHours(6));
    }

    /** Restores over a cluster's data directory, keeping the old one aside until rollback is no longer wanted. */
    public static RestoreRequest inPlace(RecoveryTarget target, Path dataDir) {
        return new RestoreRequest(target, Optional.empty(), RestoreMode.IN_PLACE, Optional.of(dataDir), Optional.empty(), false,
                RecoverySettings.Action.PROMOTE, Map.of(), "public", "postgres", Optional.empty(), Duration.ofHours(6));
    }

    public RestoreRequest fromBackup(String id) {
        return new RestoreRequest(target, Optional.ofNullable(id), mode, destination, port, keep, action, tablespaceMap, verifySchema,
                verifyDatabase, connection, recoveryTimeout);
    }

    public RestoreRequest into(Path dir) {
        return new RestoreRequest(target, backupId, mode, Optional.ofNullable(dir), port, keep, action, tablespaceMap, verifySchema,
                verifyDatabase, connection, recoveryTimeout);
    }

    public RestoreRequest onPort(Integer p) {
        return new RestoreRequest(target, backupId, mode, destination, Optional.ofNullable(p), keep, action, tablespaceMap,
                verifySchema, verifyDatabase, connection, recoveryTimeout);
    }

    public RestoreRequest keeping(boolean k) {
        return new RestoreRequest(target, backupId, mode, destination, port, k, action, tablespaceMap, verifySchema,
                verifyDatabase, connection, recoveryTimeout);
    }

    public RestoreRequest withAction(RecoverySettings.Action a) {
        return new RestoreRequest(target, backupId, mode, destination, port, keep, a, tablespaceMap, verifySchema,
                verifyDatabase, connection, recoveryTimeout);
    }

    public RestoreRequest withTablespaceMap(Map<String, Path> map) {
        return new RestoreRequest(target, backupId, mode, destination, port, keep, action, map, verifySchema,
                verifyDatabase, connection, recoveryTimeout);
    }

    public RestoreRequest verifying(String database, String schema) {
        return new RestoreRequest(target, backupId, mode, destination, port, keep, action, tablespaceMap, schema,
                database, connection, recoveryTimeout);
    }

    public RestoreRequest connectingWith(ConnectionSettings settings) {
        return new RestoreRequest(target, backupId, mode, destination, port, keep, action, tablespaceMap, verifySchema,
                verifyDatabase, Optional.ofNullable(settings), recoveryTimeout);
    }

    public RestoreRequest withTarget(RecoveryTarget t) {
        return new RestoreRequest(t, backupId, mode, destination, port, keep, action, tablespaceMap, verifySchema,
                verifyDatabase, connection, recoveryTimeout);
    }

    public RestoreRequest withTimeout(Duration t) {
        return new RestoreRequest(target, backupId, mode, destination, port, keep, action, tablespaceMap, verifySchema,
                verifyDatabase, connection, t);
    }
}

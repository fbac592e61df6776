package io.pitrconsole.recovery;

import io.pitrconsole.repository.WalStore;
import io.pitrconsole.repository.local.LocalRestoreCommand;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The exact settings a restore writes into postgresql.auto.conf (plus recovery.signal). The
 * restore_command is a plain shell command run by the server once per segment: it takes a copy
 * the restore staged ahead of it when there is one (a rename), else copies plain segments and
 * decompresses .gz and .zst ones from the archive, and exits non-zero when the file is missing.
 */
public record RecoverySettings(Map<String, String> values) {
    public RecoverySettings {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    /** What the server does once the target is reached. */
    public enum Action {
        PROMOTE, PAUSE;

        public String setting() {
            return this == PROMOTE ? "promote" : "pause";
        }
    }

    /** Settings for recovery to target from walArchive; extra holds mode settings (port, archive_mode...). */
    public static RecoverySettings of(RecoveryTarget target, Path walArchive, Action action, Map<String, String> extra) {
        return of(target, walArchive, null, action, extra);
    }

    /** Like {@link #of(RecoveryTarget, Path, Action, Map)}, restore_command taking staged copies from stagedWal first (null: none). */
    public static RecoverySettings of(RecoveryTarget target, Path walArchive, Path stagedWal, Action action, Map<String, String> extra) {
        return of(target, stagedWal == null ? restoreCommand(walArchive) : restoreCommand(walArchive, stagedWal), action, extra);
    }

    /** Settings for recovery to target with WAL from {@code wal}, whose restore_command takes staged copies first. */
    public static RecoverySettings of(RecoveryTarget target, WalStore wal, Optional<Path> stagedWal, Action action,
                                      Map<String, String> extra) {
        return of(target, wal.restoreCommand(stagedWal), action, extra);
    }

    private static RecoverySettings of(RecoveryTarget target, String restoreCommand, Action action, Map<String, String> extra) {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("restore_command", restoreCommand);
        v.putAll(target.settings());
        if (target.kind() != RecoveryTarget.Kind.LATEST) {
            v.put("recovery_target_action", action.setting());
        }
        // 'pause' silently turns into 'shutdown' without hot_standby.
        v.put("hot_standby", "on");
        v.putAll(extra);
        return new RecoverySettings(v);
    }

    /** The shell command the server runs per WAL file: plain copy, or gzip/zstd decompression. */
    public static String restoreCommand(Path walArchive) {
        return LocalRestoreCommand.of(walArchive, Optional.empty());
    }

    /**
     * Like {@link #restoreCommand(Path)}, but a copy staged in {@code staged} (whole, renamed into
     * place there when it was complete) is moved into place instead; anything not staged comes
     * from the archive as before, so a missing file still makes the command fail.
     */
    public static String restoreCommand(Path walArchive, Path staged) {
        return LocalRestoreCommand.of(walArchive, Optional.of(staged));
    }

    /** True when the path can go into a restore_command as it is. */
    static boolean isShellSafe(Path p) {
        return LocalRestoreCommand.isShellSafe(p);
    }

    /** The lines as they go into postgresql.auto.conf, values quoted the way PostgreSQL reads them. */
    public String confLines() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, val) -> sb.append(k).append(" = '").append(val.replace("'", "''")).append("'\n"));
        return sb.toString();
    }
}

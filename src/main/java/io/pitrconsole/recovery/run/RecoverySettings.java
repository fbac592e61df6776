package io.pitrconsole.recovery.run;

import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.repository.WalStore;
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

    /** The lines as they go into postgresql.auto.conf, values quoted the way PostgreSQL reads them. */
    public String confLines() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, val) -> sb.append(k).append(" = '").append(val.replace("'", "''")).append("'\n"));
        return sb.toString();
    }
}

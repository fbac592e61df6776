package io.pitrconsole.recovery;

import io.pitrconsole.core.PitrException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exact settings a restore writes into postgresql.auto.conf (plus recovery.signal). The
 * restore_command is a plain shell command run by the server once per segment: it copies plain
 * segments and decompresses .gz and .zst ones, and exits non-zero when the file is missing.
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
        Map<String, String> v = new LinkedHashMap<>();
        v.put("restore_command", restoreCommand(walArchive));
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
        String dir = walArchive.toAbsolutePath().normalize().toString();
        if (!dir.matches("[A-Za-z0-9_./@+=,:~-]+")) {
            throw new PitrException("the WAL archive path " + dir + " has characters that cannot go safely into a restore_command",
                    "use an archive directory whose path has only letters, digits and . _ - / characters (a symlink will do)");
        }
        return "a=" + dir + "; f=%f; "
                + "if [ -f \"$a/$f\" ]; then cp \"$a/$f\" \"%p\"; "
                + "elif [ -f \"$a/$f.zst\" ]; then zstd -dqc \"$a/$f.zst\" > \"%p\"; "
                + "elif [ -f \"$a/$f.gz\" ]; then gzip -dc \"$a/$f.gz\" > \"%p\"; "
                + "else exit 1; fi";
    }

    /** The lines as they go into postgresql.auto.conf, values quoted the way PostgreSQL reads them. */
    public String confLines() {
        StringBuilder sb = new StringBuilder();
        values.forEach((k, val) -> sb.append(k).append(" = '").append(val.replace("'", "''")).append("'\n"));
        return sb.toString();
    }
}

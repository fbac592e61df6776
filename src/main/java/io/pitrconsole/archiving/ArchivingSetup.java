package io.pitrconsole.archiving;

import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.repository.ArchiveCommand;
import io.pitrconsole.repository.WalStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The recommended archiving settings for an archive and the script archive_command runs.
 *
 * @param settings  postgresql.conf names and values, in the order to apply them
 * @param ownScript whether archive_command runs a script the console installs (not when it runs
 *                  another program as it is, such as pgBackRest's archive-push)
 */
public record ArchivingSetup(Map<String, String> settings, Path scriptPath, String script, Compression compression, boolean ownScript) {
    /** Settings that only take effect after a server restart. */
    public static final Set<String> NEED_RESTART = Set.of("wal_level", "archive_mode");
    /**
     * PostgreSQL 15 and later: while it names a module, archive_command is not what archives (15
     * runs the module instead, 16 and later archive nothing while both are set). Kept out of
     * {@link #settings()} because 13 and 14 do not know it.
     */
    public static final String LIBRARY = "archive_library";

    public ArchivingSetup {
        settings = Collections.unmodifiableMap(new LinkedHashMap<>(settings));
    }

    /** The settings for archiving into this archive with the given compression and archive_timeout. */
    public static ArchivingSetup of(WalStore wal, Compression compression, Duration archiveTimeout) {
        if (compression == Compression.LZ4) {
            throw new PitrException("WAL can be archived plain, with gzip or with zstd, not lz4", "use --compress none, gzip or zstd");
        }
        ArchiveCommand command = wal.archiveCommand();
        Map<String, String> s = new LinkedHashMap<>();
        s.put("wal_level", "replica");
        s.put("archive_mode", "on");
        s.put("archive_command", command.setting());
        s.put("archive_timeout", String.valueOf(archiveTimeout.toSeconds()));
        return new ArchivingSetup(s, command.script(), command.render(compression.label()),
                compression, command.ownScript());
    }

    /** The lines to put into postgresql.conf (or postgresql.auto.conf) by hand. */
    public String confLines() {
        StringBuilder sb = new StringBuilder();
        settings.forEach((k, v) -> sb.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
        return sb.toString();
    }

    /** The postgresql.conf lines about archive_library, which only PostgreSQL 15 and later accept. */
    public static String libraryConfLines() {
        return "# PostgreSQL 15 and later: archive_library must be empty, or archive_command is not what archives\n"
                + "# (15 runs the library instead, 16 and later archive nothing while both are set); 'archiving apply' sets it\n"
                + LIBRARY + " = ''\n";
    }

    /** True when the server's current value already does what the recommended one does. */
    static boolean satisfied(String name, String wanted, String current) {
        return switch (name) {
            // logical includes everything replica logs; never downgrade it
            case "wal_level" -> current.equals("replica") || current.equals("logical");
            // always also archives on a standby, which is more, not less
            case "archive_mode" -> current.equals("on") || current.equals("always");
            default -> current.equals(wanted);
        };
    }
}

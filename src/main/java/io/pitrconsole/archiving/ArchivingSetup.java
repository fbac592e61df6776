package io.pitrconsole.archiving;

import java.nio.file.Path;
import java.util.Map;

/**
 * The recommended archiving settings for an archive and the script archive_command runs.
 *
 * @param settings postgresql.conf names and values, in the order to apply them
 */
public record ArchivingSetup(Map<String, String> settings, Path scriptPath, String script) {
    /** Settings that only take effect after a server restart. */
    public static final java.util.Set<String> NEED_RESTART = java.util.Set.of("wal_level", "archive_mode");
}

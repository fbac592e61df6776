package io.pitrconsole.cli;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Json;
import java.util.List;

/**
 * Loads and initialises the JSON mapper and the JDBC driver on a second thread while picocli
 * parses the command line, so a short command does not pay for them one after the other. Verbs
 * that only read the archive never connect, so they skip the driver: on a two-core machine
 * loading it competes with the WAL index's own reader threads.
 */
final class Warmup {
    private Warmup() {
    }

    private static final java.util.Set<String> ARCHIVE_ONLY = java.util.Set.of("windows", "wal");

    static void start(String verb) {
        boolean connects = !ARCHIVE_ONLY.contains(verb);
        Thread t = new Thread(() -> {
            try {
                if (connects) {
                    Class.forName("org.postgresql.Driver");
                }
                byte[] json = Json.mapper().writeValueAsBytes(new BackupRecord(1, "backup_20000101_000000", "", BackupStatus.COMPLETE,
                        null, null, null, null, null, null, 1, "", "", 0L, null, 0, 0, "", 0, List.of(), List.of(), 0.0, null, null, null));
                // reading it back prepares what the backup catalog needs first: most verbs read backup.json
                Json.mapper().readValue(json, BackupRecord.class);
            } catch (Exception | LinkageError ignored) {
                // only a head start; the real use reports any problem
            }
        }, "warmup");
        t.setDaemon(true);
        t.start();
    }
}

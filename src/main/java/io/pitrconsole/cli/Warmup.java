package io.pitrconsole.cli;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.core.Json;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.LoggerFactory;

/**
 * Sets up logging, then loads and initialises the JDBC driver and the JSON mapper, on a second
 * thread while picocli parses the command line, so a short command does not pay for them one
 * after the other (setting up Logback alone takes about 50 ms of a cold start). Verbs
 * that never connect through JDBC skip the driver: on a two-core machine loading it competes with
 * the WAL index's own reader threads, and a restore's fetching and extraction.
 */
final class Warmup {
    private Warmup() {
    }

    /** Verbs that never open a JDBC connection: a restore reaches its server with psql and pg_ctl. */
    private static final java.util.Set<String> ARCHIVE_ONLY = java.util.Set.of("windows", "wal", "restore");

    /**
     * Starts the warm-up; the future completes once logging is set up, which must happen before a
     * verb runs (its code casts loggers to Logback's, and SLF4J hands out stand-ins while another
     * thread is still setting up).
     */
    static CompletableFuture<Void> start(String verb) {
        boolean connects = !ARCHIVE_ONLY.contains(verb);
        CompletableFuture<Void> logging = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                LoggerFactory.getILoggerFactory();
            } finally {
                logging.complete(null);
            }
            try {
                if (connects) {
                    Class.forName("org.postgresql.Driver");
                }
                byte[] json = Json.mapper().writeValueAsBytes(new BackupRecord(1, "backup_20000101_000000", "", BackupStatus.COMPLETE,
                        null, null, null, null, null, null, 1, "", "", 0L, null, 0, 0, "", 0, List.of(), List.of(), 0.0, null, null, null));
                // reading it back prepares what the backup catalog needs first: most verbs read backup.json
                Json.mapper().readValue(json, BackupRecord.class);
                if (verb.equals("restore")) {
                    // a restore reads the earlier restores' reports (for its estimate) and writes its own and a journal
                    Json.mapper().readerFor(io.pitrconsole.recovery.report.RestoreReport.class);
                    Json.mapper().writerFor(io.pitrconsole.recovery.report.RestoreReport.class);
                }
            } catch (Exception | LinkageError ignored) {
                // only a head start; the real use reports any problem
            }
        }, "warmup");
        t.setDaemon(true);
        t.start();
        return logging;
    }
}

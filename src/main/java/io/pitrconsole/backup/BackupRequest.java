package io.pitrconsole.backup;

import io.pitrconsole.archive.Compression;
import io.pitrconsole.pg.ConnectionSettings;
import java.time.Duration;
import java.util.Optional;

/**
 * What the user asked for in 'backup create'.
 *
 * @param fastCheckpoint start at once with an immediate checkpoint instead of a spread one
 * @param maxRate        pg_basebackup --max-rate (e.g. "50M"), to spare a busy server's disks
 * @param historyWait    how long to wait for the server to archive the backup's .backup file,
 *                       which holds the server's own stop time
 */
public record BackupRequest(ConnectionSettings connection, Compression compression, Optional<String> label,
                            boolean fastCheckpoint, Optional<String> maxRate, Duration historyWait) {

    public static BackupRequest defaults(ConnectionSettings connection) {
        return new BackupRequest(connection, Compression.ZSTD, Optional.empty(), true, Optional.empty(), Duration.ofSeconds(15));
    }

    public BackupRequest withCompression(Compression c) {
        return new BackupRequest(connection, c, label, fastCheckpoint, maxRate, historyWait);
    }

    public BackupRequest withLabel(String l) {
        return new BackupRequest(connection, compression, Optional.ofNullable(l), fastCheckpoint, maxRate, historyWait);
    }

    public BackupRequest withMaxRate(String rate) {
        return new BackupRequest(connection, compression, label, fastCheckpoint, Optional.ofNullable(rate), historyWait);
    }

    public BackupRequest withHistoryWait(Duration d) {
        return new BackupRequest(connection, compression, label, fastCheckpoint, maxRate, d);
    }

    public BackupRequest withFastCheckpoint(boolean fast) {
        return new BackupRequest(connection, compression, label, fast, maxRate, historyWait);
    }
}

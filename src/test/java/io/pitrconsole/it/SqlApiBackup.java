package io.pitrconsole.it;

import io.pitrconsole.archive.ArchiveLayout;
import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupLabel;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

/**
 * A backup taken with the server's own SQL backup API (pg_backup_start/stop from 15,
 * pg_start_backup/pg_stop_backup before), for servers of a major whose pg_basebackup is not
 * installed. Its start and stop locations, times and timeline are the server's, from the
 * backup_label and the .backup file it archives; its data files are not copied, so it is
 * catalogued for WAL-reading work only (windows, plans, xid lookup), never restored from.
 */
final class SqlApiBackup {
    private SqlApiBackup() {
    }

    /** Takes the backup and writes its backup.json into the cluster's archive. */
    static BackupRecord catalogue(PgTestCluster c, String id) throws SQLException, IOException {
        boolean newApi = c.major() >= 15;
        String labelText;
        try (Connection con = c.connect(); Statement st = con.createStatement()) {
            st.execute(newApi ? "SELECT pg_backup_start('" + id + "', true)" : "SELECT pg_start_backup('" + id + "', true, false)");
            try (ResultSet rs = st.executeQuery(newApi ? "SELECT labelfile FROM pg_backup_stop(true)"
                    : "SELECT labelfile FROM pg_stop_backup(false, true)")) {
                rs.next();
                labelText = rs.getString(1);
            }
        }
        BackupLabel label = BackupLabel.parse(labelText, Optional.of(ZoneOffset.UTC));
        Lsn start = label.startLsn().orElseThrow();
        int timeline = label.startTimeline().orElse(1);
        long segSize = Long.parseLong(c.queryOne("SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'"));
        // the stop waited for the archiver, so the .backup file is there
        String historyName = WalSegmentName.containing(timeline, start, segSize) + "."
                + String.format("%08X", start.value() % segSize) + ".backup";
        Path history = c.walArchive().resolve(historyName);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Files.exists(history) && System.nanoTime() < deadline) {
            c.sql("SELECT pg_sleep(0.05)");
        }
        BackupLabel stop = BackupLabel.parse(Files.readString(history), Optional.of(ZoneOffset.UTC));
        String version = c.queryOne("SELECT current_setting('server_version')").split(" ")[0];
        BackupRecord r = new BackupRecord(BackupRecord.FORMAT_VERSION, id, id, BackupStatus.COMPLETE,
                label.startTime().orElseThrow(), stop.stopTime().orElseThrow(), "backup-history-file", start,
                stop.stopLsn().orElseThrow(), label.checkpointLsn().orElse(null), timeline, version,
                c.queryOne("SELECT system_identifier::text FROM pg_control_system()"), segSize, Compression.NONE,
                0, 0, "127.0.0.1", c.port(), List.of(), List.of(), 0.0, null, null, null);
        Files.createDirectories(c.archiveDir().resolve(id));
        new BackupCatalog(new ArchiveLayout(c.archiveDir())).save(r);
        return r;
    }

    /** The earliest moment a window of this backup starts: the .backup file's stop rounds down to the second. */
    static Instant earliestTarget(BackupRecord b) {
        return b.stopTime().plusSeconds(1);
    }
}

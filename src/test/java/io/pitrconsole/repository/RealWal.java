package io.pitrconsole.repository;

import io.pitrconsole.archive.BackupLabel;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.it.PgTestCluster;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Real WAL in memory: a real cluster takes a backup with the server's SQL backup API, commits
 * transactions around a restore point, switches segments, and everything its archive_command put
 * into wal_archive/ is copied into an {@link InMemoryRepository} (and, byte for byte, into a
 * directory, to compare the two kinds). The backup's catalogue record comes from the backup_label
 * and the archived .backup file, as the server wrote them.
 */
public final class RealWal {
    public final InMemoryRepository memory = new InMemoryRepository();
    /** An archive directory holding the same WAL files as {@link #memory}. */
    public final Path disk;
    public final BackupRecord backup;
    /** Moments just before the first and just after the last commit after the backup. */
    public final Instant beforeCommits;
    public final Instant afterCommits;
    /** The segments switched out after the commits, in order. */
    public final List<String> switched = new ArrayList<>();
    public final long segmentSize;

    private RealWal(PgTestCluster c, Path disk) throws SQLException, IOException, InterruptedException {
        this.disk = disk;
        String labelText;
        try (Connection con = c.connect(); Statement st = con.createStatement()) {
            st.execute("CREATE TABLE IF NOT EXISTS seam(id serial PRIMARY KEY, note text)");
            st.execute("SELECT pg_backup_start('in memory', true)");
            try (ResultSet rs = st.executeQuery("SELECT labelfile FROM pg_backup_stop(true)")) {
                rs.next();
                labelText = rs.getString(1);
            }
            // windows start a second after the recorded stop: commit only once that has passed
            Thread.sleep(1500);
            beforeCommits = instant(st, "SELECT clock_timestamp()");
            for (int i = 0; i < 3; i++) {
                st.execute("INSERT INTO seam(note) VALUES ('a" + i + "')");
            }
            switched.add(c.switchWalAndWaitArchived(Duration.ofSeconds(60)));
            st.execute("SELECT pg_create_restore_point('in memory')");
            for (int i = 0; i < 3; i++) {
                st.execute("INSERT INTO seam(note) VALUES ('b" + i + "')");
            }
            afterCommits = instant(st, "SELECT clock_timestamp()");
            switched.add(c.switchWalAndWaitArchived(Duration.ofSeconds(60)));
        }
        segmentSize = Long.parseLong(c.queryOne("SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'"));
        Path wal = Files.createDirectories(disk.resolve("wal_archive"));
        try (Stream<Path> files = Files.list(c.walArchive())) {
            for (Path f : files.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || name.endsWith(".tmp")) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(f);
                Instant modified = Files.getLastModifiedTime(f).toInstant();
                memory.wal().put(name, bytes, modified);
                Path to = wal.resolve(name);
                Files.write(to, bytes);
                Files.setLastModifiedTime(to, java.nio.file.attribute.FileTime.from(modified));
            }
        }
        backup = record(c, labelText);
    }

    /** Runs the workload on {@code c} and copies its archived WAL; {@code disk} receives the directory copy. */
    public static RealWal archive(PgTestCluster c, Path disk) throws Exception {
        return new RealWal(c, disk);
    }

    private BackupRecord record(PgTestCluster c, String labelText) throws SQLException, IOException {
        BackupLabel label = BackupLabel.parse(labelText, Optional.of(ZoneOffset.UTC));
        Lsn start = label.startLsn().orElseThrow();
        int timeline = label.startTimeline().orElse(1);
        String historyName = WalSegmentName.containing(timeline, start, segmentSize) + "."
                + String.format("%08X", start.value() % segmentSize) + ".backup";
        String historyText;
        try (InputStream in = memory.wal().open(historyName)) {
            historyText = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        BackupLabel stop = BackupLabel.parse(historyText, Optional.of(ZoneOffset.UTC));
        String version = c.queryOne("SELECT current_setting('server_version')").split(" ")[0];
        return new BackupRecord(BackupRecord.FORMAT_VERSION, "backup_20260101_000000", "in memory", BackupStatus.COMPLETE,
                label.startTime().orElseThrow(), stop.stopTime().orElseThrow(), "backup-history-file", start,
                stop.stopLsn().orElseThrow(), label.checkpointLsn().orElse(null), timeline, version,
                c.queryOne("SELECT system_identifier::text FROM pg_control_system()"), segmentSize, Compression.NONE,
                0, 0, "127.0.0.1", c.port(), List.of(), List.of(), 0.0, null, null, null);
    }

    /** A second in-memory repository with the same files, to change without touching this one. */
    public record Copy(InMemoryRepository memory) {
    }

    public Copy copyOfMemory() {
        InMemoryRepository copy = new InMemoryRepository();
        for (WalFile f : memory.wal().list()) {
            try (InputStream in = memory.wal().open(f.name())) {
                copy.wal().put(f.name(), in.readAllBytes(), f.modified());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return new Copy(copy);
    }

    /** The segment the backup starts in. */
    public WalSegmentName startSegment() {
        return WalSegmentName.containing(backup.timeline(), backup.startLsn(), segmentSize);
    }

    private static Instant instant(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getTimestamp(1).toInstant();
        }
    }
}

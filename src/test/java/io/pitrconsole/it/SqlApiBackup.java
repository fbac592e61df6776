package io.pitrconsole.it;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.archive.BackupLabel;
import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
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
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

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
        BackupRecord r = recordFor(c, id, labelText, 0, 0);
        Files.createDirectories(c.archiveDir().resolve(id));
        new BackupCatalog(LocalDirectoryRepository.at(c.archiveDir())).save(r);
        return r;
    }

    /**
     * A restorable base backup of a server whose pg_basebackup is not installed, taken the way
     * PostgreSQL documents the low-level API: pg_backup_start, a tar of the data directory while
     * the server runs (without pg_wal's contents and the server's runtime files), the backup_label
     * pg_backup_stop returns added to the tar, and the WAL from the archive. Written as base.tar
     * into the archive's layout with its backup.json and a backup_manifest in the form
     * pg_basebackup writes (version 2 with the system identifier from 17 on), listing the tar's
     * files with their CRC32C, since extraction writes only what a manifest lists.
     */
    static BackupRecord withData(PgTestCluster c, String id) throws SQLException, IOException {
        boolean newApi = c.major() >= 15;
        Path dir = Files.createDirectories(c.archiveDir().resolve(id));
        Path tar = dir.resolve("base.tar");
        String labelText;
        try (Connection con = c.connect(); Statement st = con.createStatement()) {
            st.execute(newApi ? "SELECT pg_backup_start('" + id + "', true)" : "SELECT pg_start_backup('" + id + "', true, false)");
            long original = writeTar(c.dataDir(), tar);
            try (ResultSet rs = st.executeQuery(newApi ? "SELECT labelfile FROM pg_backup_stop(true)"
                    : "SELECT labelfile FROM pg_stop_backup(false, true)")) {
                rs.next();
                labelText = rs.getString(1);
            }
            appendLabel(tar, labelText);
            BackupRecord meta = recordFor(c, id, labelText, Files.size(tar), original + labelText.length());
            writeManifest(c, tar, dir.resolve("backup_manifest"), meta);
            new BackupCatalog(LocalDirectoryRepository.at(c.archiveDir())).save(meta);
            return meta;
        }
    }

    private static void writeManifest(PgTestCluster c, Path tar, Path manifest, BackupRecord meta) throws IOException {
        StringBuilder sb = new StringBuilder();
        int version = c.major() >= 17 ? 2 : 1;
        sb.append("{ \"PostgreSQL-Backup-Manifest-Version\": ").append(version).append(",\n");
        if (version >= 2) {
            sb.append("\"System-Identifier\": ").append(meta.systemIdentifier()).append(",\n");
        }
        sb.append("\"Files\": [\n");
        List<String> entries = new java.util.ArrayList<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!e.isFile()) {
                    continue;
                }
                java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
                byte[] buf = in.readAllBytes();
                crc.update(buf);
                long v = crc.getValue();
                String hex = java.util.HexFormat.of().formatHex(new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)});
                entries.add("{ \"Path\": \"" + e.getName() + "\", \"Size\": " + buf.length
                        + ", \"Last-Modified\": \"2026-01-01 00:00:00 GMT\", \"Checksum-Algorithm\": \"CRC32C\", \"Checksum\": \"" + hex + "\" }");
            }
        }
        sb.append(String.join(",\n", entries)).append(" ],\n");
        sb.append("\"WAL-Ranges\": [\n{ \"Timeline\": ").append(meta.timeline()).append(", \"Start-LSN\": \"").append(meta.startLsn())
                .append("\", \"End-LSN\": \"").append(meta.stopLsn()).append("\" }\n],\n");
        byte[] body = sb.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        String sum;
        try {
            sum = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(body));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Files.writeString(manifest, sb + "\"Manifest-Checksum\": \"" + sum + "\"}\n");
    }

    // what pg_basebackup leaves out too: the WAL (taken from the archive) and runtime state
    private static final List<String> SKIP_CONTENTS = List.of("pg_wal", "pg_replslot", "pg_stat_tmp", "pg_dynshmem",
            "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");
    private static final List<String> SKIP_FILES = List.of("postmaster.pid", "postmaster.opts", "backup_label", "tablespace_map");

    private static long writeTar(Path data, Path tar) throws IOException {
        long bytes = 0;
        List<Path> all;
        try (var walk = Files.walk(data)) {
            all = walk.sorted().toList();
        }
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path p : all) {
                if (p.equals(data)) {
                    continue;
                }
                Path rel = data.relativize(p);
                String top = rel.getName(0).toString();
                if ((SKIP_CONTENTS.contains(top) && rel.getNameCount() > 1 && !rel.toString().equals("pg_wal/archive_status"))
                        || (rel.getNameCount() == 1 && SKIP_FILES.contains(top))) {
                    continue;
                }
                byte[] content;
                boolean isDir = Files.isDirectory(p);
                try {
                    content = isDir ? new byte[0] : Files.readAllBytes(p);
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // removed by the running server: it is rebuilt from WAL
                }
                TarArchiveEntry e = new TarArchiveEntry(rel.toString().replace('\\', '/') + (isDir ? "/" : ""));
                e.setMode((isDir ? 040000 : 0100000) | (isDir ? 0700 : 0600));
                e.setSize(content.length);
                out.putArchiveEntry(e);
                out.write(content);
                out.closeArchiveEntry();
                bytes += content.length;
            }
        }
        return bytes;
    }

    private static void appendLabel(Path tar, String label) throws IOException {
        // the label goes first, where pg_basebackup puts it; the tar is copied behind it
        Path tmp = tar.resolveSibling("base.tar.tmp");
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar));
             TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tmp))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            byte[] b = label.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("backup_label");
            e.setMode(0100600);
            e.setSize(b.length);
            out.putArchiveEntry(e);
            out.write(b);
            out.closeArchiveEntry();
            for (TarArchiveEntry f = in.getNextEntry(); f != null; f = in.getNextEntry()) {
                out.putArchiveEntry(f);
                in.transferTo(out);
                out.closeArchiveEntry();
            }
        }
        Files.move(tmp, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /**
     * Turns a backup {@link #withData} took into what pg_basebackup --incremental of PostgreSQL 17
     * writes (no pg_basebackup of 17 can be installed here): backup_label gains "INCREMENTAL FROM
     * LSN" and "INCREMENTAL FROM TLI" naming the start of the backup it is based on, each main-fork
     * file of the given relations (paths as pg_relation_filepath gives them) becomes
     * INCREMENTAL.&lt;relfile&gt; in the layout 17 writes (magic 0xd3ae1f0d, block count, truncation
     * length, block numbers, padding to the block size, the blocks), here holding every block, and
     * the manifest lists those files instead. withLabelLines false leaves the label as a full
     * backup's, for the checks that must not trust the label alone.
     */
    static void makeIncremental(PgTestCluster c, BackupRecord backup, BackupRecord basedOn, List<String> relations, boolean withLabelLines)
            throws IOException {
        Path dir = c.archiveDir().resolve(backup.id());
        Path tar = dir.resolve("base.tar");
        Path tmp = dir.resolve("base.tar.tmp");
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar));
             TarArchiveOutputStream out = new TarArchiveOutputStream(Files.newOutputStream(tmp))) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                byte[] content = in.readAllBytes();
                String name = e.getName();
                if (name.equals("backup_label") && withLabelLines) {
                    content = (new String(content, java.nio.charset.StandardCharsets.UTF_8) + "INCREMENTAL FROM LSN: " + basedOn.startLsn()
                            + "\nINCREMENTAL FROM TLI: " + basedOn.timeline() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                } else if (relations.contains(name)) {
                    content = incrementalFile(content);
                    int slash = name.lastIndexOf('/');
                    name = name.substring(0, slash + 1) + "INCREMENTAL." + name.substring(slash + 1);
                }
                TarArchiveEntry copy = new TarArchiveEntry(name);
                copy.setMode(e.getMode());
                copy.setSize(content.length);
                out.putArchiveEntry(copy);
                out.write(content);
                out.closeArchiveEntry();
            }
        }
        Files.move(tmp, tar, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        writeManifest(c, tar, dir.resolve("backup_manifest"), backup);
    }

    private static byte[] incrementalFile(byte[] relation) {
        int blockSize = 8192;
        int blocks = relation.length / blockSize;
        int header = 12 + 4 * blocks;
        int padded = blocks == 0 ? header : (header + blockSize - 1) / blockSize * blockSize;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(padded + relation.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xd3ae1f0d).putInt(blocks).putInt(blocks);
        for (int i = 0; i < blocks; i++) {
            b.putInt(i);
        }
        b.position(padded);
        b.put(relation);
        return b.array();
    }

    /** The backup_label at the head of a base.tar. */
    static String labelIn(Path tar) throws IOException {
        try (TarArchiveInputStream in = new TarArchiveInputStream(Files.newInputStream(tar))) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (e.getName().equals("backup_label")) {
                    return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new IOException(tar + " has no backup_label");
    }

    /** The catalogue entry of a backup whose base.tar is in place: see {@link #recordFor}. */
    static BackupRecord record(PgTestCluster c, String id, String labelText, long size, long originalSize) throws SQLException, IOException {
        return recordFor(c, id, labelText, size, originalSize);
    }

    /** The catalogue entry: locations and times from the backup_label and the archived .backup file. */
    private static BackupRecord recordFor(PgTestCluster c, String id, String labelText, long size, long originalSize)
            throws SQLException, IOException {
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
                size, originalSize, "127.0.0.1", c.port(), List.of(), size > 0 ? List.of("base.tar") : List.of(), 0.0, null, null, null);
        return r;
    }

    /** The earliest moment a window of this backup starts: the .backup file's stop rounds down to the second. */
    static Instant earliestTarget(BackupRecord b) {
        return b.stopTime().plusSeconds(1);
    }
}

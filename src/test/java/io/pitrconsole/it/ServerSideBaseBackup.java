package io.pitrconsole.it;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Base backups written by the server itself (BASE_BACKUP with TARGET 'server', PostgreSQL 15 on)
 * for majors whose pg_basebackup cannot be installed here: the replication commands that
 * pg_basebackup of 17 sends, spoken over the wire protocol of a replication connection (no client
 * of 17 needed). A full backup, then, after UPLOAD_MANIFEST of that backup's manifest, an
 * incremental one (17 on, with summarize_wal on): the server writes base.tar and backup_manifest
 * into the backup's directory, exactly the files pg_basebackup --incremental -Ft would receive.
 * Trust authentication only, as the test clusters have.
 */
final class ServerSideBaseBackup {
    private ServerSideBaseBackup() {
    }

    /** A full backup written by the server into the archive, catalogued. */
    static BackupRecord full(PgTestCluster c, String id) throws IOException, SQLException {
        return take(c, id, null);
    }

    /** An incremental backup based on an earlier backup of the archive, written by the server, catalogued. */
    static BackupRecord incremental(PgTestCluster c, String id, BackupRecord basedOn) throws IOException, SQLException {
        return take(c, id, Files.readAllBytes(c.archiveDir().resolve(basedOn.id()).resolve("backup_manifest")));
    }

    private static BackupRecord take(PgTestCluster c, String id, byte[] priorManifest) throws IOException, SQLException {
        Path dir = c.archiveDir().resolve(id);
        try (Socket s = new Socket("127.0.0.1", c.port())) {
            s.setSoTimeout(120_000);
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            DataInputStream in = new DataInputStream(s.getInputStream());
            startup(out, in);
            if (priorManifest != null) {
                query(out, in, "UPLOAD_MANIFEST", priorManifest);
            }
            query(out, in, "BASE_BACKUP (LABEL '" + id + "', TARGET 'server', TARGET_DETAIL '" + dir + "', CHECKPOINT 'fast',"
                    + " MANIFEST 'yes', MANIFEST_CHECKSUMS 'CRC32C'" + (priorManifest != null ? ", INCREMENTAL" : "") + ")", null);
            terminate(out);
        }
        String label = SqlApiBackup.labelIn(dir.resolve("base.tar"));
        BackupRecord r = SqlApiBackup.record(c, id, label, Files.size(dir.resolve("base.tar")), Files.size(dir.resolve("base.tar")));
        new io.pitrconsole.archive.BackupCatalog(LocalDirectoryRepository.at(c.archiveDir())).save(r);
        return r;
    }

    private static void startup(DataOutputStream out, DataInputStream in) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream b = new DataOutputStream(body);
        b.writeInt(196608); // protocol 3.0
        for (String p : List.of("user", PgTestCluster.SUPERUSER, "database", "postgres", "replication", "database")) {
            b.write(p.getBytes(StandardCharsets.UTF_8));
            b.write(0);
        }
        b.write(0);
        out.writeInt(body.size() + 4);
        out.write(body.toByteArray());
        out.flush();
        untilReady(out, in, null);
    }

    /** Sends one simple query; copy-in data goes when the server asks for it; copy-out data is read and dropped. */
    private static void query(DataOutputStream out, DataInputStream in, String sql, byte[] copyIn) throws IOException {
        byte[] q = sql.getBytes(StandardCharsets.UTF_8);
        out.writeByte('Q');
        out.writeInt(q.length + 5);
        out.write(q);
        out.writeByte(0);
        out.flush();
        untilReady(out, in, copyIn);
    }

    private static void untilReady(DataOutputStream out, DataInputStream in, byte[] copyIn) throws IOException {
        List<String> errors = new ArrayList<>();
        while (true) {
            int type = in.readUnsignedByte();
            byte[] body = new byte[in.readInt() - 4];
            in.readFully(body);
            switch (type) {
                case 'R' -> {
                    int code = java.nio.ByteBuffer.wrap(body).getInt();
                    if (code != 0) {
                        throw new IOException("the server asks for authentication " + code + "; only trust is spoken here");
                    }
                }
                case 'E' -> errors.add(fields(body));
                case 'G' -> { // CopyInResponse
                    if (copyIn == null) {
                        throw new IOException("the server wants copy data that was not given");
                    }
                    out.writeByte('d');
                    out.writeInt(copyIn.length + 4);
                    out.write(copyIn);
                    out.writeByte('c');
                    out.writeInt(4);
                    out.flush();
                }
                case 'Z' -> {
                    if (!errors.isEmpty()) {
                        throw new IOException(String.join("; ", errors));
                    }
                    return;
                }
                default -> {
                    // row descriptions and rows (start and end locations), copy-out progress messages, notices
                }
            }
        }
    }

    private static String fields(byte[] body) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < body.length && body[i] != 0) {
            char code = (char) body[i++];
            int end = i;
            while (body[end] != 0) {
                end++;
            }
            if (code == 'M' || code == 'D') {
                sb.append(sb.length() > 0 ? " " : "").append(new String(body, i, end - i, StandardCharsets.UTF_8));
            }
            i = end + 1;
        }
        return sb.toString();
    }

    private static void terminate(DataOutputStream out) throws IOException {
        out.writeByte('X');
        out.writeInt(4);
        out.flush();
    }
}

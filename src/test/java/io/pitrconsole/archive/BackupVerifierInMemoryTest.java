package io.pitrconsole.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.MemoryBackupStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;

/** The verifier checks a backup read from a store in memory: its tars as streams, no backup directory. */
class BackupVerifierInMemoryTest {
    private static final String ID = "backup_20261206_030000";
    private static final String SEGMENT = "000000010000000000000002";

    private static byte[] tar(Map<String, String> files) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            for (Map.Entry<String, String> f : files.entrySet()) {
                byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(content.length);
                tar.putArchiveEntry(e);
                tar.write(content);
                tar.closeArchiveEntry();
            }
        }
        return out.toByteArray();
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** A manifest as pg_basebackup writes it: its own checksum covers everything up to its last line. */
    private static byte[] manifest(Map<String, String> files) throws Exception {
        StringBuilder m = new StringBuilder("{ \"PostgreSQL-Backup-Manifest-Version\": 1,\n\"Files\": [\n");
        String sep = "";
        for (Map.Entry<String, String> f : files.entrySet()) {
            byte[] content = f.getValue().getBytes(StandardCharsets.UTF_8);
            m.append(sep).append("{ \"Path\": \"").append(f.getKey()).append("\", \"Size\": ").append(content.length)
                    .append(", \"Last-Modified\": \"2026-12-06 03:00:00 GMT\", \"Checksum-Algorithm\": \"SHA256\", \"Checksum\": \"")
                    .append(sha256(content)).append("\" }");
            sep = ",\n";
        }
        m.append(" ],\n\"WAL-Ranges\": [\n{ \"Timeline\": 1, \"Start-LSN\": \"0/2000028\", \"End-LSN\": \"0/2000100\" }\n],\n");
        String body = m.toString();
        return (body + "\"Manifest-Checksum\": \"" + sha256(body.getBytes(StandardCharsets.UTF_8)) + "\"}\n").getBytes(StandardCharsets.UTF_8);
    }

    private static VerifyReport verify(MemoryBackupStore store) {
        return new BackupVerifier().verify(store, ID, null, WalSegmentName.DEFAULT_SEGMENT_SIZE, ProgressListener.NONE, Cancellation.none());
    }

    @Test
    void aBackupWhoseTarsMatchItsManifestVerifies() throws Exception {
        Map<String, String> files = new TreeMap<>(Map.of("PG_VERSION", "15\n", "global/pg_control", "control"));
        MemoryBackupStore store = new MemoryBackupStore();
        store.putFile(ID, "base.tar", tar(files));
        store.putFile(ID, "pg_wal.tar", tar(Map.of(SEGMENT, "wal")));
        store.putFile(ID, "backup_manifest", manifest(files));

        VerifyReport report = verify(store);
        assertThat(report.problems()).isEmpty();
        assertThat(report.ok()).isTrue();
        assertThat(report.filesChecked()).isEqualTo(2);
        assertThat(report.bytesRead()).isEqualTo(tar(files).length + tar(Map.of(SEGMENT, "wal")).length);
    }

    @Test
    void aChangedFileAndMissingWalAreFound() throws Exception {
        Map<String, String> files = new TreeMap<>(Map.of("PG_VERSION", "15\n", "global/pg_control", "control"));
        MemoryBackupStore store = new MemoryBackupStore();
        store.putFile(ID, "base.tar", tar(Map.of("PG_VERSION", "16\n", "global/pg_control", "control")));
        store.putFile(ID, "backup_manifest", manifest(files));

        VerifyReport report = verify(store);
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).extracting(VerifyProblem::file, VerifyProblem::kind)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("PG_VERSION", "checksum"),
                        org.assertj.core.groups.Tuple.tuple(SEGMENT, "wal"));
    }

    @Test
    void aBackupWithoutManifestIsReportedNotThrown() {
        MemoryBackupStore store = new MemoryBackupStore();
        store.add(ID);
        VerifyReport report = verify(store);
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).extracting(VerifyProblem::file).containsExactly("backup_manifest");
    }
}

package io.pitrconsole.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Json;
import io.pitrconsole.core.Lsn;
import java.io.InputStream;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** backup.json as earlier versions wrote it keeps reading, and the builder writes the same form. */
class BackupRecordJsonTest {

    private static byte[] fixture() throws Exception {
        try (InputStream in = BackupRecordJsonTest.class.getResourceAsStream("backup-v1.json")) {
            return in.readAllBytes();
        }
    }

    @Test
    void aBackupJsonWrittenByAnEarlierVersionReadsAndWritesBackByteForByte() throws Exception {
        byte[] written = fixture();
        BackupRecord r = Json.mapper().readValue(written, BackupRecord.class);
        assertThat(r.id()).isEqualTo("backup_20261206_001313");
        assertThat(r.status()).isEqualTo(BackupStatus.COMPLETE);
        assertThat(r.startLsn()).isEqualTo(Lsn.parse("0/9B000028"));
        assertThat(r.stopTime()).isEqualTo(Instant.parse("2026-12-06T00:13:27.601145Z"));
        assertThat(r.compression()).isEqualTo(Compression.ZSTD);
        assertThat(r.files()).containsExactly("backup_manifest", "base.tar.zst", "pg_wal.tar");
        assertThat(r.lastVerified()).isNull();

        assertThat(new String(Json.mapper().writeValueAsBytes(r))).isEqualTo(new String(written));
        assertThat(new String(Json.mapper().writeValueAsBytes(r.toBuilder().build()))).isEqualTo(new String(written));
    }

    @Test
    void withMethodsChangeOnlyTheirFields() throws Exception {
        BackupRecord r = Json.mapper().readValue(fixture(), BackupRecord.class);
        Instant when = Instant.parse("2026-12-06T01:00:00Z");
        BackupRecord verified = r.withVerification(BackupStatus.VERIFIED, when, "all files match the manifest");
        assertThat(verified).isEqualTo(new BackupRecord(r.formatVersion(), r.id(), r.label(), BackupStatus.VERIFIED, r.startTime(),
                r.stopTime(), r.stopTimeSource(), r.startLsn(), r.stopLsn(), r.checkpointLsn(), r.timeline(), r.pgVersion(),
                r.systemIdentifier(), r.walSegmentSize(), r.compression(), r.sizeBytes(), r.originalSizeBytes(), r.host(), r.port(),
                r.tablespaces(), r.files(), r.durationSeconds(), when, "all files match the manifest", r.error()));
        assertThat(r.withStatus(BackupStatus.FAILED, "gone").toBuilder().status(r.status()).error(null).build()).isEqualTo(r);
        assertThat(BackupRecord.builder("backup_20261206_001313").build().files()).isEqualTo(List.of());
    }
}

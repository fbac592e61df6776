package io.pitrconsole.ui.backups;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.BackupRecord;
import io.pitrconsole.archive.BackupStatus;
import io.pitrconsole.archive.CatalogEntry;
import io.pitrconsole.archive.Compression;
import io.pitrconsole.core.Lsn;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackupRowTest {
    private static BackupRecord record(String id, String label, BackupStatus status) {
        return new BackupRecord(1, id, label, status, Instant.parse("2026-11-25T02:15:00Z"), Instant.parse("2026-11-25T02:16:00Z"),
                "backup-history-file", Lsn.parse("0/2000028"), Lsn.parse("0/2000100"), Lsn.parse("0/2000060"), 1, "15.4", "1",
                16L * 1024 * 1024, Compression.ZSTD, 1000, 4000, "127.0.0.1", 5432, List.of(), List.of(), 60.0, null, null, null);
    }

    @Test
    void everyWordOfTheFilterMustMatchSomeColumn() {
        BackupRow row = BackupRow.of(CatalogEntry.ok(record("backup_20261125_021500", "before upgrade", BackupStatus.VERIFIED)));
        assertThat(row.matches("")).isTrue();
        assertThat(row.matches("UPGRADE verified")).isTrue();
        assertThat(row.matches("zstd 20261125")).isTrue();
        assertThat(row.matches("upgrade corrupt")).isFalse();
        assertThat(row.ratio()).isEqualTo(4.0);
        assertThat(row.verifiable()).isTrue();
    }

    @Test
    void anUnreadableBackupIsListedWithItsProblemAndCannotBeVerified() {
        BackupRow row = BackupRow.of(CatalogEntry.unreadable("backup_20261125_021500", "backup.json: unexpected end of input"));
        assertThat(row.status()).isEqualTo(BackupRow.UNREADABLE);
        assertThat(row.label()).contains("unexpected end");
        assertThat(row.matches("unreadable")).isTrue();
        assertThat(row.verifiable()).isFalse();
    }

    @Test
    void failedAndRunningBackupsCannotBeVerified() {
        assertThat(BackupRow.of(CatalogEntry.ok(record("backup_20261125_021500", null, BackupStatus.FAILED))).verifiable()).isFalse();
        assertThat(BackupRow.of(CatalogEntry.ok(record("backup_20261125_021500", null, BackupStatus.CORRUPT))).verifiable()).isTrue();
    }
}

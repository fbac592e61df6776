package io.pitrconsole.archive;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Lsn;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What marks a backup as incremental: the label lines PostgreSQL 17 writes, and the names of the files it sends incrementally. */
class IncrementalMarksTest {
    private static final String FULL = "START WAL LOCATION: 0/6000028 (file 000000010000000000000006)\n"
            + "CHECKPOINT LOCATION: 0/6000080\nBACKUP METHOD: streamed\nBACKUP FROM: primary\n"
            + "START TIME: 2026-12-06 00:35:40 UTC\nLABEL: backup_20260101_000100\nSTART TIMELINE: 1\n";

    @Test
    void theLabelLinesOfSeventeenNameTheBackupItIsBasedOn() {
        Optional<IncrementalBackup> i = IncrementalBackup.of(BackupLabel.parse(FULL
                + "INCREMENTAL FROM LSN: 0/2000028\nINCREMENTAL FROM TLI: 1\n", Optional.empty()));
        assertThat(i).isPresent();
        assertThat(i.get().fromLsn()).contains(Lsn.parse("0/2000028"));
        assertThat(i.get().fromTimeline()).contains(1);
        assertThat(i.get().describe()).contains("0/2000028 on timeline 1");
        assertThat(i.get().refusal("backup_x").hint()).contains("pg_combinebackup");
    }

    @Test
    void aFullBackupsLabelIsNoIncrementalOne() {
        assertThat(IncrementalBackup.of(BackupLabel.parse(FULL, Optional.empty()))).isEmpty();
    }

    @Test
    void onlyAFileNamedIncrementalDotIsOneSentIncrementally() {
        assertThat(IncrementalBackup.isIncrementalFile("base/5/INCREMENTAL.16384")).isTrue();
        assertThat(IncrementalBackup.isIncrementalFile("global/INCREMENTAL.1261")).isTrue();
        assertThat(IncrementalBackup.isIncrementalFile("pg_tblspc/16390/PG_17_202406281/5/INCREMENTAL.16391.1")).isTrue();
        assertThat(IncrementalBackup.isIncrementalFile("base/5/16384")).isFalse();
        assertThat(IncrementalBackup.isIncrementalFile("base/INCREMENTAL.5/16384")).isFalse();
        assertThat(IncrementalBackup.isIncrementalFile("base/5/NOT_INCREMENTAL.16384")).isFalse();
    }
}

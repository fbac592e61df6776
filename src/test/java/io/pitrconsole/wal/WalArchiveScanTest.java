package io.pitrconsole.wal;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files in wal_archive/ are what; the segments' bytes do not matter here. */
class WalArchiveScanTest {
    @Test
    void classifiesArchiveFilesAndPrefersWhatRecoveryWouldUse(@TempDir Path root) throws IOException {
        Path dir = Files.createDirectories(root.resolve("wal_archive"));
        for (String f : new String[] {"000000010000000000000001", "000000010000000000000002.gz",
                "000000010000000000000003.partial", "000000010000000000000003.zst", "000000010000000000000004.partial",
                "000000010000000000000005.tmp", "00000002.history", "000000010000000000000001.00000028.backup", "notes.txt",
                "0000000100000000000001FF"}) {
            Files.writeString(dir.resolve(f), "x".repeat(10));
        }
        WalArchiveScan scan = WalArchiveScan.of(LocalDirectoryRepository.at(root).wal());

        assertThat(scan.segmentSize()).isEqualTo(WalSegmentName.DEFAULT_SEGMENT_SIZE);
        assertThat(scan.segments()).extracting(ArchivedSegmentFile::fileName).containsExactly(
                "000000010000000000000001", "000000010000000000000002.gz", "000000010000000000000003.zst",
                "000000010000000000000004.partial");
        assertThat(scan.segments()).extracting(ArchivedSegmentFile::partial).containsExactly(false, false, false, true);
        assertThat(scan.historyFiles()).containsOnlyKeys(2);
        assertThat(scan.backupFiles()).extracting(WalFile::name)
                .containsExactly("000000010000000000000001.00000028.backup");
        assertThat(scan.totalBytes()).isEqualTo(100);
        assertThat(scan.problems()).singleElement().asString().contains("0000000100000000000001FF");
    }

    @Test
    void missingDirectoryIsAnEmptyArchive(@TempDir Path dir) {
        WalArchiveScan scan = WalArchiveScan.of(LocalDirectoryRepository.at(dir).wal());
        assertThat(scan.segments()).isEmpty();
        assertThat(scan.totalBytes()).isZero();
    }
}

package io.pitrconsole.archiving;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.repository.local.ArchiveLayout;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Per-hour segment counts for the archiving chart come from the segment files' times. */
class WalArchiveActivityTest {
    private static final long SEG = 16L * 1024 * 1024;

    @TempDir
    Path tmp;

    @Test
    void countsSegmentsPerWholeHourAndSkipsOtherFilesAndOlderSegments() throws Exception {
        ArchiveLayout layout = new ArchiveLayout(tmp);
        Files.createDirectories(layout.walArchive());
        Instant now = Instant.parse("2026-03-10T14:25:00Z");
        file(layout, "000000010000000000000001", now.minus(Duration.ofHours(30)));   // before the window
        file(layout, "000000010000000000000002", Instant.parse("2026-03-09T15:00:00Z")); // first hour of 24
        file(layout, "000000010000000000000003", Instant.parse("2026-03-10T12:10:00Z"));
        file(layout, "000000010000000000000004.gz", Instant.parse("2026-03-10T12:59:59Z"));
        file(layout, "000000010000000000000005", Instant.parse("2026-03-10T14:01:00Z"));
        file(layout, "00000002.history", Instant.parse("2026-03-10T14:02:00Z"));
        file(layout, "000000010000000000000005.00000028.backup", Instant.parse("2026-03-10T14:03:00Z"));
        file(layout, "000000010000000000000006.partial", Instant.parse("2026-03-10T14:04:00Z"));

        List<HourlyCount> hours = WalArchiveFiles.scan(LocalDirectoryRepository.at(layout.root()).wal(), SEG).perHour(now, 24);

        assertThat(hours).hasSize(24);
        assertThat(hours.get(0)).isEqualTo(new HourlyCount(Instant.parse("2026-03-09T15:00:00Z"), 1));
        assertThat(hours.get(23)).isEqualTo(new HourlyCount(Instant.parse("2026-03-10T14:00:00Z"), 1));
        assertThat(hours.get(21)).isEqualTo(new HourlyCount(Instant.parse("2026-03-10T12:00:00Z"), 2));
        assertThat(hours.stream().mapToLong(HourlyCount::segments).sum()).isEqualTo(4);
        assertThat(WalArchiveFiles.scan(LocalDirectoryRepository.at(layout.root()).wal(), SEG).perHour(now, 48).stream().mapToLong(HourlyCount::segments).sum())
                .isEqualTo(5);
    }

    private static void file(ArchiveLayout layout, String name, Instant modified) throws Exception {
        Path p = Files.write(layout.walArchive().resolve(name), new byte[8]);
        Files.setLastModifiedTime(p, FileTime.from(modified));
    }
}

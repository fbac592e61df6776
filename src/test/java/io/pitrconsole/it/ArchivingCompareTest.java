package io.pitrconsole.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.Compression;
import io.pitrconsole.archiving.ArchivingService;
import io.pitrconsole.archiving.HourlyCount;
import io.pitrconsole.archiving.SettingComparison;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the archiving page shows: the server's settings against the recommended ones, and segments per hour. */
class ArchivingCompareTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension(Map.of("archive_timeout", "0"));

    @Test
    void compareReadsTheServersValuesAndActivityCountsArchivedSegments() {
        PgTestCluster c = pg.cluster();
        ArchivingService service = new ArchivingService(io.pitrconsole.repository.local.LocalDirectoryRepository.at(c.archiveDir()), c.pgContext(), c.connection());
        Map<String, SettingComparison> byName = service.compare(service.generate(Compression.NONE, Duration.ofSeconds(300)))
                .stream().collect(Collectors.toMap(SettingComparison::name, Function.identity()));

        // 15 knows archive_library: it must stay empty for archive_command to be what archives
        assertThat(byName).containsOnlyKeys("wal_level", "archive_mode", "archive_command", "archive_timeout", "archive_library");
        assertThat(byName.get("archive_library").current()).isEmpty();
        assertThat(byName.get("archive_library").satisfied()).isTrue();
        assertThat(byName.get("wal_level")).satisfies(s -> {
            assertThat(s.current()).isEqualTo("replica");
            assertThat(s.satisfied()).isTrue();
            assertThat(s.needsRestart()).isTrue();
            assertThat(s.restartOnApply()).isFalse();
        });
        // the test cluster archives with its own cp command, not this archive's script
        assertThat(byName.get("archive_command").current()).startsWith("test ! -f ");
        assertThat(byName.get("archive_command").satisfied()).isFalse();
        assertThat(byName.get("archive_command").restartOnApply()).isFalse();
        assertThat(byName.get("archive_timeout").current()).isEqualTo("0");
        assertThat(byName.get("archive_timeout").recommended()).isEqualTo("300");

        c.switchWalAndWaitArchived(Duration.ofSeconds(30));
        List<HourlyCount> hours = service.activity(48);
        assertThat(hours).hasSize(48);
        assertThat(hours.stream().mapToLong(HourlyCount::segments).sum()).isGreaterThanOrEqualTo(1);
    }
}

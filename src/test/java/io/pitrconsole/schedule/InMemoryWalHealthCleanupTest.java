package io.pitrconsole.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.archive.AbandonedTimelines;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.WalSegmentName;
import io.pitrconsole.it.PgClusterExtension;
import io.pitrconsole.repository.RealWal;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.repository.WalFile;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Health's WAL checks and cleanup's WAL plan over a repository held in memory (real WAL from a
 * real server): the same answers as over the same files in an archive directory.
 */
class InMemoryWalHealthCleanupTest {
    @RegisterExtension
    static PgClusterExtension pg = new PgClusterExtension();

    @TempDir
    static Path tmp;

    private static RealWal wal;

    @BeforeAll
    static void archiveRealWal() throws Exception {
        wal = RealWal.archive(pg.cluster(), tmp.resolve("archive"));
    }

    private static Instant newestArrival(Repository r) {
        return r.wal().list().stream().map(WalFile::modified).max(Comparator.naturalOrder()).orElseThrow();
    }

    private static List<Finding> walHealth(Repository r, HealthService.Acc m) {
        Instant now = newestArrival(r).plus(Duration.ofMinutes(5));
        return new HealthService(r, Optional.empty(), Clock.fixed(now, ZoneOffset.UTC))
                .walChecks(List.of(wal.backup), AbandonedTimelines::none, now, Duration.ofHours(24), m);
    }

    @Test
    void walHealthFromMemoryIsTheWalHealthFromTheDirectory() {
        HealthService.Acc fromMemory = new HealthService.Acc();
        List<Finding> memory = walHealth(wal.memory, fromMemory);
        HealthService.Acc fromDisk = new HealthService.Acc();
        List<Finding> disk = walHealth(LocalDirectoryRepository.at(wal.disk), fromDisk);

        assertThat(memory).isEqualTo(disk);
        assertThat(memory).extracting(Finding::check).containsExactly("newest WAL", "WAL gaps", "recovery window");
        assertThat(memory).allMatch(c -> HealthLevel.of(c.level()) == HealthLevel.OK);
        assertThat(memory.get(0).detail()).startsWith(wal.switched.get(1) + " archived 5 min ago");
        assertThat(fromMemory.build()).isEqualTo(fromDisk.build());
        assertThat(fromMemory.build().walGaps()).isZero();
        assertThat(fromMemory.build().walSegments()).isEqualTo(wal.memory.wal().list().stream().filter(WalFile::isSegment).count());
    }

    @Test
    void aSegmentMissingFromMemoryIsACriticalGap() {
        RealWal.Copy copy = wal.copyOfMemory();
        copy.memory().wal().delete(wal.switched.get(0));

        HealthService.Acc m = new HealthService.Acc();
        List<Finding> checks = walHealth(copy.memory(), m);

        assertThat(checks).filteredOn(c -> c.check().equals("WAL gaps")).singleElement().satisfies(c -> {
            assertThat(HealthLevel.of(c.level())).isEqualTo(HealthLevel.CRITICAL);
            assertThat(c.detail()).isEqualTo("1 segments missing, first " + wal.switched.get(0) + " on timeline 1");
        });
        assertThat(m.build().walGaps()).isEqualTo(1);
    }

    @Test
    void anUnreadableListOfAbandonedTimelinesIsAFindingAndGapsAreStillFoundByName() {
        Instant now = newestArrival(wal.memory).plus(Duration.ofMinutes(5));
        List<Finding> checks = new HealthService(wal.memory, Optional.empty(), Clock.fixed(now, ZoneOffset.UTC))
                .walChecks(List.of(wal.backup), () -> {
                    throw new PitrException("abandoned-timelines.json is damaged", "restore it");
                }, now, Duration.ofHours(24), new HealthService.Acc());

        assertThat(checks).extracting(Finding::check).containsExactly("newest WAL", "WAL index", "WAL gaps");
        assertThat(HealthLevel.of(checks.get(1).level())).isEqualTo(HealthLevel.WARNING);
        assertThat(checks.get(1).detail()).isEqualTo("abandoned-timelines.json is damaged");
        assertThat(checks.get(2).detail()).isEqualTo("none by segment names");
    }

    @Test
    void cleanupFromMemoryRemovesTheWalBeforeTheKeptBackupAsFromTheDirectory() {
        CleanupPlanner.WalRemovals memory = new CleanupPlanner(wal.memory, ScheduleConfig.defaults(), ZoneOffset.UTC)
                .walRemovals(List.of(wal.backup), wal.segmentSize);
        CleanupPlanner.WalRemovals disk = new CleanupPlanner(LocalDirectoryRepository.at(wal.disk),
                ScheduleConfig.defaults(), ZoneOffset.UTC).walRemovals(List.of(wal.backup), wal.segmentSize);

        WalSegmentName start = wal.startSegment();
        List<String> before = wal.memory.wal().list().stream().map(WalFile::name)
                .filter(n -> WalSegmentName.looksLikeSegment(n) && n.substring(0, 24).compareTo(start.toString()) < 0).toList();
        assertThat(before).isNotEmpty();
        assertThat(memory.removals()).extracting(CleanupPlan.Removal::name).containsExactlyElementsOf(before)
                .isEqualTo(disk.removals().stream().map(CleanupPlan.Removal::name).toList());
        assertThat(memory.bytesAfter()).isEqualTo(disk.bytesAfter()).isPositive();
    }
}

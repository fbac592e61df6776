package io.pitrconsole.recovery;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.recovery.plan.RestorePlanner;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.report.RestoreReports;
import io.pitrconsole.repository.local.LocalDirectoryRepository;
import io.pitrconsole.recovery.run.RestoreExecutor;
import io.pitrconsole.recovery.target.RecoveryTarget;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RestoreEstimateTest {
    @TempDir
    Path tmp;

    private static RestoreReport earlier(String status, long bytes, double extractSeconds, int segments, double recoverySeconds) {
        return earlier("r", status, bytes, extractSeconds, segments, recoverySeconds);
    }

    private static RestoreReport earlier(String id, String status, long bytes, double extractSeconds, int segments, double recoverySeconds) {
        List<RestoreReport.Step> steps = List.of(new RestoreReport.Step(RestoreExecutor.PRECHECKS, 1.0, null),
                new RestoreReport.Step(RestoreExecutor.EXTRACT, extractSeconds, null),
                new RestoreReport.Step(RestoreExecutor.RECOVERY, recoverySeconds, null),
                new RestoreReport.Step(RestoreExecutor.VERIFY, 2.0, null));
        return new RestoreReport(id, status, RestoreMode.REHEARSAL, "b", "latest", RecoveryTarget.latest(), "/d", 5433, false,
                Instant.EPOCH, Instant.EPOCH, steps, null, 2, List.of(), Map.of(), 10.0, bytes, segments, null, null, Map.of(),
                false, List.of(), null, null);
    }

    private static RestoreReports.Timing timing(boolean succeeded, long bytes, double extractSeconds, int segments, double recoverySeconds) {
        return new RestoreReports.Timing(succeeded, bytes, segments, Map.of(RestoreExecutor.PRECHECKS, 1.0, RestoreExecutor.EXTRACT, extractSeconds,
                RestoreExecutor.RECOVERY, recoverySeconds, RestoreExecutor.VERIFY, 2.0));
    }

    /** A plan reads the newest reports only (by when they were written), not every restore the archive ever had. */
    @Test
    void anEstimateReadsOnlyTheNewestReports() throws Exception {
        RestoreReports reports = new RestoreReports(LocalDirectoryRepository.at(Files.createDirectories(tmp.resolve("archive"))));
        for (int i = 0; i < 25; i++) {
            Path saved = reports.save(earlier(String.format("restore_%02d", i), RestoreReport.SUCCEEDED, 1_000_000L * (i + 1), 1.0, 1, 1.0));
            Files.setLastModifiedTime(saved, FileTime.from(Instant.parse("2026-12-01T00:00:00Z").plusSeconds(60L * i)));
        }
        assertThat(reports.list()).hasSize(25);
        // each saved with its own size: the sizes tell which were read
        assertThat(reports.recentTimings(20)).extracting(RestoreReports.Timing::bytesExtracted)
                .containsExactlyElementsOf(IntStream.range(5, 25).map(i -> 24 + 5 - i).mapToObj(i -> 1_000_000L * (i + 1)).toList());
        assertThat(reports.recentTimings(20)).allSatisfy(t -> {
            assertThat(t.succeeded()).isTrue();
            assertThat(t.seconds(RestoreExecutor.EXTRACT)).isEqualTo(1.0);
            assertThat(t.totalSeconds()).isEqualTo(5.0);
        });
    }

    @Test
    void withoutEarlierRestoresTheDefaultsAreUsedAndSaidSo() {
        RestorePlanner.Estimate e = RestorePlanner.Estimate.from(List.of(), 1_500_000_000L, 80);
        assertThat(e.basis()).startsWith("defaults: extraction 150 MB/s").contains("no earlier restore measured");
        assertThat(e.seconds()).isEqualTo(10 + 1500.0 / 150 + 80 / 8.0);
    }

    @Test
    void earlierSucceededRestoresOfTheArchiveGiveTheThroughput() {
        // 1000 MB extracted in 4 s = 250 MB/s; 20 segments replayed in 5 s = 4/s; 3 s for the other steps
        List<RestoreReports.Timing> reports = List.of(timing(true, 1_000_000_000L, 4.0, 20, 5.0),
                timing(false, 1_000_000_000L, 100.0, 1, 100.0));
        RestorePlanner.Estimate e = RestorePlanner.Estimate.from(reports, 2_000_000_000L, 40);
        assertThat(e.basis()).startsWith("measured on 1 earlier restore(s)").contains("250 MB/s", "4.0 WAL files/s");
        assertThat(e.seconds()).isEqualTo(3.0 + 2000.0 / 250 + 40 / 4.0);
    }
}

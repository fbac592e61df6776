package io.pitrconsole.ui.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import io.pitrconsole.core.Finding;
import io.pitrconsole.core.Lsn;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.schedule.HealthLevel;
import io.pitrconsole.schedule.HealthMetrics;
import io.pitrconsole.schedule.HealthReport;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DashboardSummaryTest {
    private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

    private static HealthMetrics metrics(Instant newestBackup, Long gaps) {
        return new HealthMetrics(Map.of("complete", 2L), 3_000_000L, newestBackup == null ? null : "backup_20261128_120000",
                newestBackup, newestBackup == null ? null : (double) (NOW.getEpochSecond() - newestBackup.getEpochSecond()),
                newestBackup == null ? null : 1_500_000L, null, true, 40L, 0L, false, null, "000000010000000000000009", 90.0,
                16_000_000L, 9L, gaps, 1L << 30, NOW.minusSeconds(100), NOW.minusSeconds(100));
    }

    private static DashboardSnapshot snapshot(HealthMetrics m, List<Finding> checks, List<RecoveryWindow> merged,
                                              Optional<RestoreReport> rehearsal, Optional<Double> alertHours) {
        HealthLevel worst = checks.stream().map(c -> HealthLevel.of(c.level())).reduce(HealthLevel.OK, HealthLevel::worst);
        return new DashboardSnapshot(new HealthReport(worst, NOW, "/archive", checks, m), merged, rehearsal, alertHours, NOW, List.of());
    }

    private static RecoveryWindow window(String from, String to) {
        return new RecoveryWindow("backup_20261128_120000", 1, Instant.parse(from), Instant.parse(to), Lsn.parse("0/3000000"),
                Lsn.parse("0/9000000"), Optional.empty());
    }

    @Test
    void aBackupOlderThanThePreferenceIsStaleEvenWhenTheScheduleAllowsMore() {
        HealthMetrics m = metrics(NOW.minusSeconds(7 * 3600), 0L);
        DashboardSummary fresh = DashboardSummary.of(snapshot(m, List.of(), List.of(), Optional.empty(), Optional.of(26.0)), 24);
        assertThat(fresh.backupStale()).isFalse();
        assertThat(fresh.newestBackupAge()).isEqualTo("7.0 h ago");
        assertThat(fresh.newestBackup()).isEqualTo("backup_20261128_120000 (1.4 MB)");

        DashboardSummary byPreference = DashboardSummary.of(snapshot(m, List.of(), List.of(), Optional.empty(), Optional.of(26.0)), 6);
        assertThat(byPreference.backupStale()).isTrue();
        DashboardSummary bySchedule = DashboardSummary.of(snapshot(m, List.of(), List.of(), Optional.empty(), Optional.of(4.0)), 24);
        assertThat(bySchedule.backupStale()).isTrue();
    }

    @Test
    void noRestorableBackupIsStaleAndOffersNothingToVerify() {
        DashboardSummary s = DashboardSummary.of(snapshot(metrics(null, null), List.of(new Finding("newest backup",
                Finding.Level.FAIL, "no restorable backup in the archive", "take one")), List.of(), Optional.empty(), Optional.empty()), 24);
        assertThat(s.backupStale()).isTrue();
        assertThat(s.newestBackupId()).isEmpty();
        assertThat(s.level()).isEqualTo(HealthLevel.CRITICAL);
        assertThat(s.problems()).extracting(Finding::check).containsExactly("newest backup");
        assertThat(s.range()).isEqualTo("nothing restorable yet");
        assertThat(s.rehearsal()).isEqualTo("no rehearsal yet");
        assertThat(s.rto()).isEqualTo("-");
    }

    @Test
    void rpoGapsSizeAndRangeComeFromTheMetricsAndWindows() {
        Finding gap = new Finding("WAL gaps", Finding.Level.FAIL, "2 segments missing, first 000000010000000000000005 on timeline 1", "x");
        DashboardSummary s = DashboardSummary.of(snapshot(metrics(NOW.minusSeconds(600), 2L), List.of(gap),
                List.of(window("2026-11-29T11:30:00Z", "2026-11-29T11:58:20Z"), window("2026-11-29T10:00:00Z", "2026-11-29T11:00:00Z")),
                Optional.empty(), Optional.empty()), 24);
        assertThat(s.rpo()).startsWith("90 s since the newest archived WAL (000000010000000000000009)");
        assertThat(s.gaps()).startsWith("2 missing segments");
        assertThat(s.gapsLevel()).isEqualTo(HealthLevel.CRITICAL);
        assertThat(s.totalSize()).startsWith("18.1 MB");
        assertThat(s.windows()).extracting(w -> w.from().toString()).containsExactly("2026-11-29T10:00:00Z", "2026-11-29T11:30:00Z");
        assertThat(s.range()).endsWith(" in 2 ranges");
    }

    @Test
    void theNewestRehearsalGivesResultAndRto() {
        RestoreReport r = new RestoreReport("r1", RestoreReport.SUCCEEDED, RestoreMode.REHEARSAL, "backup_20261128_120000",
                "time 2026-11-29 11:00:00+00", (RecoveryTarget) null, "/tmp/x", 55432, false, NOW.minusSeconds(3600), NOW.minusSeconds(3540),
                List.of(), "recovery stopping", 2, List.of(), Map.of(), 42.5, 0, 3, null, null, Map.of(), false, List.of(), null, null);
        DashboardSummary s = DashboardSummary.of(snapshot(metrics(NOW.minusSeconds(60), 0L), List.of(), List.of(), Optional.of(r),
                Optional.empty()), 24);
        assertThat(s.rehearsal()).startsWith("succeeded ").contains("backup_20261128_120000");
        assertThat(s.rehearsalOk()).contains(true);
        assertThat(s.rto()).isEqualTo("42.5 s");
        assertThat(s.gaps()).isEqualTo("none");
    }
}

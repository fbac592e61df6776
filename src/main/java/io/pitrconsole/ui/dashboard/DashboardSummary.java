package io.pitrconsole.ui.dashboard;

import io.pitrconsole.core.Finding;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.schedule.HealthLevel;
import io.pitrconsole.schedule.HealthMetrics;
import io.pitrconsole.ui.DisplayFormats;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard's texts and colours, worked out from a snapshot without any UI, so the rules
 * (when is a backup stale, what counts as the RPO) are testable.
 *
 * @param backupStale    the newest backup is older than the staleAfterHours preference or the schedule's alert limit
 * @param newestBackupId the backup "Verify" checks; empty when there is none
 */
public record DashboardSummary(HealthLevel level, String newestBackup, String newestBackupAge, boolean backupStale,
                               Optional<String> newestBackupId, String lastVerification, HealthLevel verificationLevel,
                               String archiver, HealthLevel archiverLevel, String rpo, HealthLevel rpoLevel, String gaps,
                               HealthLevel gapsLevel, String totalSize, String range, List<RecoveryWindow> windows,
                               String rehearsal, Optional<Boolean> rehearsalOk, String rto, List<Finding> problems,
                               List<Finding> ownStatus) {

    public DashboardSummary {
        windows = List.copyOf(windows);
        problems = List.copyOf(problems);
        ownStatus = List.copyOf(ownStatus);
    }

    /** Applies the rules to a snapshot; staleAfterHours is the user's preference. */
    public static DashboardSummary of(DashboardSnapshot s, int staleAfterHours) {
        HealthMetrics m = s.health().metrics();
        Instant now = s.takenAt();
        double limitHours = s.alertAfterHours().map(a -> Math.min(a, staleAfterHours)).orElse((double) staleAfterHours);

        String newest = m.newestBackupId() == null ? "no restorable backup"
                : m.newestBackupId() + (m.newestBackupBytes() == null ? "" : " (" + DisplayFormats.bytes(m.newestBackupBytes()) + ")");
        String age = "-";
        boolean stale = m.newestBackupId() == null;
        if (m.newestBackupTime() != null) {
            Duration d = Duration.between(m.newestBackupTime(), now);
            age = DisplayFormats.age(d) + " ago";
            stale = d.toSeconds() > limitHours * 3600;
        }

        String verification = m.lastVerified() == null ? "never verified"
                : DisplayFormats.time(m.lastVerified()) + " (" + DisplayFormats.age(Duration.between(m.lastVerified(), now)) + " ago)";
        Finding verify = check(s, "verification");
        if (verify != null && verify.level() == Finding.Level.FAIL) {
            verification = verify.detail();
        }

        Finding archiverCheck = check(s, "archiver");
        String archiver = archiverCheck == null ? "not checked" : archiverCheck.detail();
        Finding walCheck = check(s, "newest WAL");
        String rpo = m.newestWalAgeSeconds() == null ? (walCheck == null ? "-" : walCheck.detail())
                : DisplayFormats.age(Duration.ofMillis((long) (m.newestWalAgeSeconds() * 1000))) + " since the newest archived WAL ("
                        + m.newestWal() + ")";
        Finding gapCheck = check(s, "WAL gaps");
        String gaps = m.walGaps() == null ? (gapCheck == null ? "-" : gapCheck.detail())
                : m.walGaps() == 0 ? "none" : m.walGaps() + " missing segments" + (gapCheck == null ? "" : ": " + gapCheck.detail());

        long total = (m.backupsBytes() == null ? 0 : m.backupsBytes()) + (m.walArchiveBytes() == null ? 0 : m.walArchiveBytes());
        String size = DisplayFormats.bytes(total) + " (backups " + DisplayFormats.bytes(m.backupsBytes() == null ? 0 : m.backupsBytes())
                + ", WAL " + DisplayFormats.bytes(m.walArchiveBytes() == null ? 0 : m.walArchiveBytes()) + ")";

        List<RecoveryWindow> merged = s.merged().stream().sorted(Comparator.comparing(RecoveryWindow::from)).toList();
        String range = merged.isEmpty() ? "nothing restorable yet"
                : DisplayFormats.time(merged.get(0).from()) + " .. " + DisplayFormats.time(merged.stream().map(RecoveryWindow::to)
                        .max(Comparator.naturalOrder()).orElseThrow()) + (merged.size() > 1 ? " in " + merged.size() + " ranges" : "");

        Optional<RestoreReport> r = s.lastRehearsal();
        String rehearsal = r.map(x -> x.status() + " " + DisplayFormats.time(x.startedAt()) + " (" + x.backup() + " to "
                + x.target() + ")").orElse("no rehearsal yet");
        String rto = r.flatMap(x -> Optional.ofNullable(x.rtoSeconds())).map(DisplayFormats::seconds).orElse("-");

        // the backup program's own status is shown whole in its own place, so its findings are not repeated as problems
        List<Finding> problems = s.health().checks().stream().filter(c -> c.level() != Finding.Level.PASS && !s.ownStatus().contains(c)).toList();
        return new DashboardSummary(s.health().status(), newest, age, stale, Optional.ofNullable(m.newestBackupId()), verification,
                level(verify), archiver, level(archiverCheck), rpo, level(walCheck), gaps, level(gapCheck), size, range, merged,
                rehearsal, r.map(RestoreReport::succeeded), rto, problems, s.ownStatus());
    }

    private static Finding check(DashboardSnapshot s, String name) {
        return s.health().checks().stream().filter(c -> c.check().equals(name)).findFirst().orElse(null);
    }

    private static HealthLevel level(Finding c) {
        return c == null ? HealthLevel.OK : HealthLevel.of(c.level());
    }
}

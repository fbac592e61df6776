package io.pitrconsole.ui.dashboard;

import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Finding;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.report.RestoreReport;
import io.pitrconsole.recovery.window.RecoveryWindow;
import io.pitrconsole.schedule.HealthReport;
import io.pitrconsole.ui.ClusterSession;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Everything the dashboard shows, read in one go off the FX thread: the health checks and their
 * numbers, the merged restorable ranges, the newest rehearsal and the schedule's alert limit.
 *
 * @param ownStatus the health checks that are the repository's backup program's own status
 *                  (pgBackRest's stanza, lock and backup errors); empty for the console's own archives
 */
public record DashboardSnapshot(HealthReport health, List<RecoveryWindow> merged, Optional<RestoreReport> lastRehearsal,
                                Optional<Double> alertAfterHours, Instant takenAt, List<Finding> ownStatus) {
    public DashboardSnapshot {
        merged = List.copyOf(merged);
        ownStatus = List.copyOf(ownStatus);
    }

    /** Reads the snapshot; parts that cannot be read are left empty (the health checks say why). */
    static DashboardSnapshot read(ClusterSession s, ProgressListener progress, Cancellation cancel) {
        progress.progress(0, 3, "health checks");
        HealthReport health = s.health().check();
        cancel.throwIfCancelled("dashboard");
        List<Finding> own = ownStatus(s, health);
        progress.progress(1, 3, "recovery windows");
        List<RecoveryWindow> merged;
        try {
            merged = s.windows().windows(ProgressListener.NONE, cancel).liveMerged();
        } catch (PitrException e) {
            merged = List.of();
        }
        progress.progress(2, 3, "restore reports");
        Optional<RestoreReport> rehearsal;
        try {
            rehearsal = s.restores().history().stream().filter(r -> r.mode() == RestoreMode.REHEARSAL && r.startedAt() != null)
                    .max(Comparator.comparing(RestoreReport::startedAt));
        } catch (PitrException e) {
            rehearsal = Optional.empty();
        }
        Optional<Double> alert;
        try {
            alert = Optional.of(s.schedule().load().alertAfterHours());
        } catch (PitrException e) {
            alert = Optional.empty();
        }
        return new DashboardSnapshot(health, merged, rehearsal, alert, health.checkedAt(), own);
    }

    /** The health report's findings that the repository's own status names (as the report has them, read once). */
    private static List<Finding> ownStatus(ClusterSession s, HealthReport health) {
        Set<String> names;
        try {
            names = s.repository().ownStatus().stream().map(Finding::check).collect(Collectors.toSet());
        } catch (PitrException e) {
            return List.of();
        }
        return health.checks().stream().filter(c -> names.contains(c.check())).toList();
    }
}

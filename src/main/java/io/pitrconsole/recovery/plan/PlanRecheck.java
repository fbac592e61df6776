package io.pitrconsole.recovery.plan;

import io.pitrconsole.archive.BackupCatalog;
import io.pitrconsole.core.Cancellation;
import io.pitrconsole.core.Hint;
import io.pitrconsole.core.PitrException;
import io.pitrconsole.core.ProgressListener;
import io.pitrconsole.recovery.RestoreMode;
import io.pitrconsole.recovery.RestoreRequest;
import io.pitrconsole.recovery.target.RecoveryTarget;
import io.pitrconsole.recovery.target.TargetValidators;
import io.pitrconsole.repository.Repository;
import io.pitrconsole.wal.WalCopies;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A plan shown to someone may be run minutes later; the archive can change in between (a backup
 * expired, a timeline recorded as abandoned, a WAL file gone). Before such a plan runs it is made
 * again from the same request, pinned to what the first one chose (backup, sandbox, port), and
 * the run stops at its pre-checks, before it changes anything, when the fresh plan would restore
 * differently. WAL archived since may only
 * add files after the planned ones: recovery reads what it needs and the rest is never read.
 */
public final class PlanRecheck {
    private PlanRecheck() {
    }

    /** Throws when the plan no longer matches what the archive allows now; nothing has been touched then. */
    public static void requireCurrent(Repository repository, RestorePlan planned, ProgressListener progress, Cancellation cancel) {
        RestoreRequest pinned = planned.request().fromBackup(planned.backupId());
        if (planned.mode() == RestoreMode.REHEARSAL) {
            pinned = pinned.into(planned.dataDirectory().getParent()).onPort(planned.port());
        }
        RestorePlan fresh;
        try {
            // the archive as it is now, read once for this planning
            BackupCatalog.Snapshot now = new BackupCatalog(repository).snapshot();
            fresh = new RestorePlanner(repository, now, TargetValidators.forRestore(repository, pinned.target(), now.records(), WalCopies.none(),
                    progress, cancel)).plan(pinned);
        } catch (PitrException e) {
            throw new PitrException("this restore was planned, but the archive no longer allows it: " + e.getMessage(),
                    Hint.of(e.hint(), e.consoleHint()), e);
        }
        List<String> changed = differences(planned, fresh);
        if (!changed.isEmpty()) {
            throw new PitrException("the archive changed since this restore was planned: " + String.join("; ", changed),
                    Hint.of("plan again ('restore plan' shows the new plan, 'restore run' plans and runs it)",
                            "click New restore: the wizard plans again and shows the new plan before it runs"));
        }
    }

    /** What the fresh plan would do differently, in words; empty when it restores the same. */
    static List<String> differences(RestorePlan planned, RestorePlan fresh) {
        List<String> out = new ArrayList<>();
        if (!planned.backupId().equals(fresh.backupId())) {
            out.add("backup " + fresh.backupId() + " instead of " + planned.backupId());
        }
        if (!Objects.equals(planned.target(), fresh.target())) {
            out.add("target " + fresh.target().describe() + " instead of " + planned.target().describe());
        }
        if (!planned.dataDirectory().equals(fresh.dataDirectory()) || !Objects.equals(planned.port(), fresh.port())) {
            out.add("restores into " + fresh.dataDirectory() + " instead of " + planned.dataDirectory());
        }
        if (!planned.settings().equals(fresh.settings())) {
            out.add("settings " + fresh.settings() + " instead of " + planned.settings());
        }
        if (!planned.tablespaces().equals(fresh.tablespaces())) {
            out.add("tablespaces into " + fresh.tablespaces() + " instead of " + planned.tablespaces());
        }
        List<String> wal = fresh.walSegments();
        if (wal.size() < planned.walSegments().size() || !wal.subList(0, planned.walSegments().size()).equals(planned.walSegments())) {
            out.add("WAL files " + firstDifference(planned.walSegments(), wal));
        }
        boolean toTheEnd = planned.target().kind() == RecoveryTarget.Kind.LATEST;
        if (!toTheEnd && !Objects.equals(planned.walEnd(), fresh.walEnd())) {
            out.add("recovery reads WAL up to " + fresh.walEnd() + " instead of " + planned.walEnd());
        }
        List<String> newWarnings = fresh.warnings().stream().filter(w -> !planned.warnings().contains(w)).toList();
        if (!newWarnings.isEmpty()) {
            out.add("new warning(s): " + String.join("; ", newWarnings));
        }
        return out;
    }

    private static String firstDifference(List<String> planned, List<String> fresh) {
        for (int i = 0; i < planned.size(); i++) {
            if (i >= fresh.size()) {
                return "end before " + planned.get(i) + " (" + fresh.size() + " of " + planned.size() + " planned are usable)";
            }
            if (!planned.get(i).equals(fresh.get(i))) {
                return "differ from " + planned.get(i) + " on (" + fresh.get(i) + " now)";
            }
        }
        return "differ";
    }
}

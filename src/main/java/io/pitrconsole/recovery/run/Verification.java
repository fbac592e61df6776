package io.pitrconsole.recovery.run;

import io.pitrconsole.recovery.report.RestoreReport;
import java.util.List;
import java.util.Map;

/** What 'restore verify' found on a running restored cluster: the same checks as after a rehearsal. */
public record Verification(String server, List<RestoreReport.Check> checks, Map<String, Long> rowCounts, Integer timeline, boolean inRecovery) {
    public Verification {
        checks = List.copyOf(checks);
        rowCounts = Map.copyOf(rowCounts);
    }

    public boolean ok() {
        return checks.stream().allMatch(RestoreReport.Check::ok);
    }
}

package io.pitrconsole.schedule;

import java.time.Instant;
import java.util.List;

/** The answer to "is this archive healthy?": the worst level, every check, and the numbers. */
public record HealthReport(HealthLevel status, Instant checkedAt, String archive, List<HealthCheck> checks, HealthMetrics metrics) {
    public HealthReport {
        checks = List.copyOf(checks);
    }
}

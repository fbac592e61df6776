package io.pitrconsole.schedule;

/** One health finding: what was checked, how it came out, what was seen and what to do. */
public record HealthCheck(String check, HealthLevel level, String detail, String hint) {
    static HealthCheck ok(String check, String detail) {
        return new HealthCheck(check, HealthLevel.OK, detail, "");
    }

    static HealthCheck warning(String check, String detail, String hint) {
        return new HealthCheck(check, HealthLevel.WARNING, detail, hint);
    }

    static HealthCheck critical(String check, String detail, String hint) {
        return new HealthCheck(check, HealthLevel.CRITICAL, detail, hint);
    }
}

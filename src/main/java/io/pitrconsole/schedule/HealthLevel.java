package io.pitrconsole.schedule;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** How a health check came out; the order is the severity, and the exit status of 'health'. */
public enum HealthLevel {
    OK, WARNING, CRITICAL;

    /** 0 ok, 1 warning, 2 critical: the monitoring-plugin convention. */
    public int exitCode() {
        return ordinal();
    }

    public HealthLevel worst(HealthLevel other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

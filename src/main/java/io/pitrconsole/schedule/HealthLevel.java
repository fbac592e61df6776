package io.pitrconsole.schedule;

import com.fasterxml.jackson.annotation.JsonValue;
import io.pitrconsole.core.Finding;
import java.util.Locale;

/** How a health check came out; the order is the severity, and the exit status of 'health'. */
public enum HealthLevel {
    OK, WARNING, CRITICAL;

    /** 0 ok, 1 warning, 2 critical: the monitoring-plugin convention. */
    public int exitCode() {
        return ordinal();
    }

    /** A finding's level in health's words: pass is ok, warn a warning, fail critical. */
    public static HealthLevel of(Finding.Level level) {
        return switch (level) {
            case PASS -> OK;
            case WARN -> WARNING;
            case FAIL -> CRITICAL;
        };
    }

    public HealthLevel worst(HealthLevel other) {
        return other.ordinal() > ordinal() ? other : this;
    }

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

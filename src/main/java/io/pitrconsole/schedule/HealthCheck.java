package io.pitrconsole.schedule;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.pitrconsole.core.Hint;

/**
 * One health finding: what was checked, how it came out, what was seen and what to do, the last
 * in command-line words ({@code hint}, also in JSON) and in the console's ({@code consoleHint}).
 */
public record HealthCheck(String check, HealthLevel level, String detail, String hint, @JsonIgnore String consoleHint) {
    public HealthCheck {
        hint = hint == null ? "" : hint;
        consoleHint = consoleHint == null ? hint : consoleHint;
    }

    public HealthCheck(String check, HealthLevel level, String detail, String hint) {
        this(check, level, detail, hint, hint);
    }

    HealthCheck(String check, HealthLevel level, String detail, Hint hint) {
        this(check, level, detail, hint.commandLine(), hint.console());
    }

    static HealthCheck ok(String check, String detail) {
        return new HealthCheck(check, HealthLevel.OK, detail, "");
    }

    static HealthCheck warning(String check, String detail, String hint) {
        return new HealthCheck(check, HealthLevel.WARNING, detail, hint);
    }

    static HealthCheck warning(String check, String detail, Hint hint) {
        return new HealthCheck(check, HealthLevel.WARNING, detail, hint);
    }

    static HealthCheck critical(String check, String detail, String hint) {
        return new HealthCheck(check, HealthLevel.CRITICAL, detail, hint);
    }

    static HealthCheck critical(String check, String detail, Hint hint) {
        return new HealthCheck(check, HealthLevel.CRITICAL, detail, hint);
    }
}

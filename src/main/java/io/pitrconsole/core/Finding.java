package io.pitrconsole.core;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One check's outcome: pass, warn or fail, what was seen, and what to do about it, in command-line
 * words ({@code hint}, also in JSON) and in the console's ({@code consoleHint}). Archiving verify,
 * the scheduler's dependency check, a restore's prerequisites and health all report these; health
 * names the levels its own way (ok, warning, critical: see HealthLevel).
 */
public record Finding(String check, Level level, String detail, String hint, @JsonIgnore String consoleHint) {
    /** How bad a finding is: pass, warn (something is off, the work can go on) or fail (it would not work). */
    public enum Level {
        PASS, WARN, FAIL;

        /** pass, warn or fail: lower case in text and JSON, like the health levels. */
        @JsonValue
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public Finding {
        hint = hint == null ? "" : hint;
        consoleHint = consoleHint == null ? hint : consoleHint;
    }

    public Finding(String check, Level level, String detail, String hint) {
        this(check, level, detail, hint, hint);
    }

    public static Finding pass(String check, String detail) {
        return new Finding(check, Level.PASS, detail, "");
    }

    public static Finding warn(String check, String detail, String hint) {
        return new Finding(check, Level.WARN, detail, hint);
    }

    public static Finding warn(String check, String detail, Hint hint) {
        return new Finding(check, Level.WARN, detail, hint.commandLine(), hint.console());
    }

    public static Finding fail(String check, String detail, String hint) {
        return new Finding(check, Level.FAIL, detail, hint);
    }

    public static Finding fail(String check, String detail, Hint hint) {
        return new Finding(check, Level.FAIL, detail, hint.commandLine(), hint.console());
    }
}
